-- Step 3: the full panel (every unit of the countries seed x every round present in the data x
-- every catalogue leaf) with missing values imputed only where the catalogue asks for it
-- (COINr's Impute / impute_panel; docs/methodology.md section 4):
--   none                          (default) the value stays NULL and is flagged
--   mean | median                 the same round's mean / median over every unit observed
--   group_mean:<column>           idem within the unit's group of <column> (any column of the
--   group_median:<column>         countries seed); peer_median:<column> is group_median's alias
--   carry_forward:<max_age>       the latest earlier observation at most max_age rounds (years) old
--   linear:<max_gap>              linear interpolation between the unit's observations before and
--                                 after, each at most max_gap years away (no extrapolation)
--   constant:<value>              the given value
-- Mean, median and group rules need at least `imputation_min_peers` observed units (var, default
-- `peer_median_min_peers`, 2; COINr has no minimum: 1). Never a silent zero.
{% set countries_relation = ref('countries') -%}
{% set country_columns = catalogue_columns(countries_relation) -%}
{% set groups = country_group_columns(country_columns) -%}
{% set min_peers = var('imputation_min_peers', var('peer_median_min_peers', 2)) -%}
with

countries as (
    select
        upper(trim(cast(iso3 as {{ text_type() }}))) as iso3,
        {{ catalogue_column(country_columns, 'oic_group', 'null') }} as oic_group,
        {{ catalogue_column(country_columns, 'income_group', 'null') }} as income_group
    from {{ countries_relation }}
),

memberships as (
    {{ country_memberships(countries_relation, groups) }}
),

leaves as (
    select
        code as indicator,
        imputation,
        case {{ option_method('imputation') }}
            when 'peer_median' then 'group_median'
            else {{ option_method('imputation') }}
        end as imputation_kind,
        lower({{ option_argument('imputation') }}) as imputation_argument,
        {{ option_number('imputation') }} as imputation_number
    from {{ ref('int_catalogue_nodes_resolved') }}
    where is_leaf
),

denominated as (
    select * from {{ ref('int_indicator_values_denominated') }}
),

rounds as (
    -- index_rounds = all: every year present in the data (survey rounds, counts, inventories,
    -- official series). index_rounds = collected: only years with survey, count or inventory data
    -- (official series still feed carry-forward), unless there are none at all.
    select distinct denominated.round
    from denominated
    inner join countries on countries.iso3 = denominated.iso3
    {%- if var('index_rounds', 'all') == 'collected' %}
    where not denominated.source like 'official:%'
        or not exists (select 1 from denominated as d2 where d2.source not like 'official:%')
    {%- endif %}
),

grid as (
    select countries.iso3, countries.oic_group, countries.income_group, rounds.round, leaves.*
    from countries
    cross join rounds
    cross join leaves
),

observed as (
    select denominated.*
    from denominated
    inner join countries on countries.iso3 = denominated.iso3
    where denominated.denominated_value is not null
),

panel as (
    select
        grid.*,
        denominated.raw_value,
        denominated.denominated_value,
        denominated.denominator_flag,
        denominated.source,
        denominated.n_observations,
        denominated.lineage_files,
        denominated.lineage_batches
    from grid
    left join denominated
        on denominated.iso3 = grid.iso3
        and denominated.round = grid.round
        and denominated.indicator = grid.indicator
),

previous as (
    -- latest earlier observation of the same unit and indicator (carry_forward, linear)
    select
        panel.iso3, panel.round, panel.indicator,
        observed.round as donor_round,
        observed.denominated_value as donor_value,
        observed.source as donor_source,
        observed.lineage_files as donor_lineage_files,
        observed.lineage_batches as donor_lineage_batches
    from panel
    {{ nearest_join() }} observed
        on observed.iso3 = panel.iso3
        and observed.indicator = panel.indicator
        and observed.round < panel.round
    where panel.imputation_kind in ('carry_forward', 'linear') and panel.denominated_value is null
    {{ nearest_only('panel.iso3, panel.round, panel.indicator', 'observed.round desc') }}
),

following as (
    -- earliest later observation of the same unit and indicator (linear)
    select
        panel.iso3, panel.round, panel.indicator,
        observed.round as donor_round,
        observed.denominated_value as donor_value,
        observed.lineage_files as donor_lineage_files,
        observed.lineage_batches as donor_lineage_batches
    from panel
    {{ nearest_join() }} observed
        on observed.iso3 = panel.iso3
        and observed.indicator = panel.indicator
        and observed.round > panel.round
    where panel.imputation_kind = 'linear' and panel.denominated_value is null
    {{ nearest_only('panel.iso3, panel.round, panel.indicator', 'observed.round asc') }}
),

all_units as (
    select
        round, indicator, avg(denominated_value) as mean_value, median(denominated_value) as median_value,
        count(*) as n_peers
    from observed
    group by round, indicator
),

group_stats as (
    select
        memberships.group_column, memberships.group_value, observed.round, observed.indicator,
        avg(observed.denominated_value) as mean_value, median(observed.denominated_value) as median_value,
        count(*) as n_peers
    from observed
    inner join memberships on memberships.iso3 = observed.iso3
    where memberships.group_value is not null
    group by memberships.group_column, memberships.group_value, observed.round, observed.indicator
),

candidates as (
    select
        panel.*,
        case
            when panel.imputation_kind = 'carry_forward'
                and panel.round - previous.donor_round <= panel.imputation_number then previous.donor_value
            when panel.imputation_kind = 'linear'
                and panel.round - previous.donor_round <= panel.imputation_number
                and following.donor_round - panel.round <= panel.imputation_number
                then previous.donor_value + (following.donor_value - previous.donor_value)
                    * (panel.round - previous.donor_round) / (following.donor_round - previous.donor_round)
            when panel.imputation_kind = 'constant' then panel.imputation_number
            when panel.imputation_kind in ('mean', 'median') and all_units.n_peers >= {{ min_peers }}
                then case panel.imputation_kind when 'mean' then all_units.mean_value else all_units.median_value end
            when panel.imputation_kind in ('group_mean', 'group_median') and group_stats.n_peers >= {{ min_peers }}
                then
                    case panel.imputation_kind
                        when 'group_mean' then group_stats.mean_value
                        else group_stats.median_value
                    end
        end as candidate_value,
        case
            when panel.imputation_kind = 'carry_forward' then 'carry_forward from ' || previous.donor_round
            when panel.imputation_kind = 'linear'
                then 'linear between ' || previous.donor_round || ' and ' || following.donor_round
            when panel.imputation_kind = 'constant' then panel.imputation
            when panel.imputation_kind in ('mean', 'median')
                then panel.imputation || ' of ' || all_units.n_peers || ' peers'
            else panel.imputation || ' of ' || group_stats.n_peers || ' peers'
        end as candidate_method,
        case
            when panel.imputation_kind = 'carry_forward' then previous.donor_source
            else 'imputed:' || panel.imputation_kind
        end as candidate_source,
        case
            when panel.imputation_kind = 'carry_forward' then previous.donor_lineage_files
            when panel.imputation_kind = 'linear'
                then {{ list_union('previous.donor_lineage_files', 'following.donor_lineage_files') }}
        end as candidate_lineage_files,
        case
            when panel.imputation_kind = 'carry_forward' then previous.donor_lineage_batches
            when panel.imputation_kind = 'linear'
                then {{ list_union('previous.donor_lineage_batches', 'following.donor_lineage_batches') }}
        end as candidate_lineage_batches
    from panel
    left join previous
        on previous.iso3 = panel.iso3 and previous.round = panel.round and previous.indicator = panel.indicator
    left join following
        on following.iso3 = panel.iso3 and following.round = panel.round and following.indicator = panel.indicator
    left join all_units
        on panel.imputation_kind in ('mean', 'median')
        and all_units.round = panel.round and all_units.indicator = panel.indicator
    left join memberships
        on panel.imputation_kind in ('group_mean', 'group_median')
        and memberships.iso3 = panel.iso3 and memberships.group_column = panel.imputation_argument
    left join group_stats
        on group_stats.group_column = memberships.group_column
        and group_stats.group_value = memberships.group_value
        and group_stats.round = panel.round
        and group_stats.indicator = panel.indicator
),

imputed as (
    select
        iso3,
        round,
        indicator,
        raw_value,
        denominated_value,
        denominator_flag,
        imputation as imputation_rule,
        coalesce(denominated_value, candidate_value) as imputed_value,
        case
            when denominated_value is not null then 'observed'
            when candidate_value is not null then candidate_method
            else 'none'
        end as imputation_method,
        case
            when denominated_value is not null then source
            when candidate_value is not null then candidate_source
        end as source,
        n_observations,
        case
            when denominated_value is not null then lineage_files
            else candidate_lineage_files
        end as lineage_files,
        case
            when denominated_value is not null then lineage_batches
            else candidate_lineage_batches
        end as lineage_batches,
        oic_group,
        income_group
    from candidates
),

flagged as (
    select
        *,
        imputed_value is not null and imputation_method <> 'observed' as is_imputed,
        case
            when imputed_value is not null then null
            when raw_value is not null and denominator_flag is not null
                then 'no value: ' || denominator_flag
            when imputation_rule <> 'none'
                then 'no value for this country and round; ' || imputation_rule || ' found no donor'
            else 'no value for this country and round'
        end as missing_reason
    from imputed
)

select * from flagged
