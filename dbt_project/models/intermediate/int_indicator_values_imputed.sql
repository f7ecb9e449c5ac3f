-- Step 3: the full panel (every country of the countries seed x every round present in the data x
-- every catalogue leaf) with missing values imputed only where the catalogue asks for it:
--   none                      (default) the value stays NULL and is flagged
--   carry_forward:<max_age>   the latest earlier observation at most max_age rounds (years) old
--   peer_median:oic_group     median of the same round's observed values in the country's OIC group
--   peer_median:income_group  idem within the World Bank income group
-- Peer medians need at least `peer_median_min_peers` observed peers. Never a silent zero.
with

countries as (
    select upper(trim(iso3)) as iso3, oic_group, income_group
    from {{ ref('countries') }}
),

leaves as (
    select
        code as indicator,
        imputation,
        {{ option_method('imputation') }} as imputation_kind,
        {{ option_argument('imputation') }} as imputation_argument
    from {{ ref('int_catalogue_nodes_resolved') }}
    where is_leaf
),

denominated as (
    select * from {{ ref('int_indicator_values_denominated') }}
),

rounds as (
    -- index_rounds = all (default): every year present in the data (survey rounds, counts,
    -- inventories, official series). index_rounds = collected: only years with survey, count or
    -- inventory data (official series still feed carry-forward), unless there are none at all.
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
    select
        denominated.*,
        countries.oic_group,
        countries.income_group
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

carried as (
    -- latest earlier observation of the same country and indicator
    select
        panel.iso3, panel.round, panel.indicator,
        observed.round as donor_round,
        observed.denominated_value as donor_value,
        observed.source as donor_source,
        observed.lineage_files as donor_lineage_files,
        observed.lineage_batches as donor_lineage_batches
    from panel
    asof inner join observed
        on observed.iso3 = panel.iso3
        and observed.indicator = panel.indicator
        and panel.round > observed.round
    where panel.imputation_kind = 'carry_forward' and panel.denominated_value is null
),

peer_medians as (
    select 'oic_group' as peer_group, oic_group as group_value, round, indicator,
        median(denominated_value) as peer_median, count(*) as n_peers
    from observed
    group by oic_group, round, indicator
    union all
    select 'income_group' as peer_group, income_group as group_value, round, indicator,
        median(denominated_value) as peer_median, count(*) as n_peers
    from observed
    group by income_group, round, indicator
),

imputed as (
    select
        panel.iso3,
        panel.round,
        panel.indicator,
        panel.raw_value,
        panel.denominated_value,
        panel.denominator_flag,
        panel.imputation as imputation_rule,
        case
            when panel.denominated_value is not null then panel.denominated_value
            when panel.imputation_kind = 'carry_forward'
                and panel.round - carried.donor_round <= cast(panel.imputation_argument as integer)
                then carried.donor_value
            when panel.imputation_kind = 'peer_median' and peers.n_peers >= {{ var('peer_median_min_peers', 2) }}
                then peers.peer_median
        end as imputed_value,
        case
            when panel.denominated_value is not null then 'observed'
            when panel.imputation_kind = 'carry_forward'
                and panel.round - carried.donor_round <= cast(panel.imputation_argument as integer)
                then 'carry_forward from ' || carried.donor_round
            when panel.imputation_kind = 'peer_median' and peers.n_peers >= {{ var('peer_median_min_peers', 2) }}
                then 'peer_median:' || panel.imputation_argument || ' of ' || peers.n_peers || ' peers'
            else 'none'
        end as imputation_method,
        case
            when panel.denominated_value is not null then panel.source
            when panel.imputation_kind = 'carry_forward'
                and panel.round - carried.donor_round <= cast(panel.imputation_argument as integer)
                then carried.donor_source
            when panel.imputation_kind = 'peer_median' and peers.n_peers >= {{ var('peer_median_min_peers', 2) }}
                then 'imputed:peer_median'
        end as source,
        panel.n_observations,
        case
            when panel.denominated_value is not null then panel.lineage_files
            when panel.imputation_kind = 'carry_forward' then carried.donor_lineage_files
        end as lineage_files,
        case
            when panel.denominated_value is not null then panel.lineage_batches
            when panel.imputation_kind = 'carry_forward' then carried.donor_lineage_batches
        end as lineage_batches,
        panel.oic_group,
        panel.income_group
    from panel
    left join carried
        on carried.iso3 = panel.iso3
        and carried.round = panel.round
        and carried.indicator = panel.indicator
    left join peer_medians as peers
        on panel.imputation_kind = 'peer_median'
        and peers.peer_group = panel.imputation_argument
        and peers.group_value = case panel.imputation_argument
            when 'oic_group' then panel.oic_group
            when 'income_group' then panel.income_group
        end
        and peers.round = panel.round
        and peers.indicator = panel.indicator
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
