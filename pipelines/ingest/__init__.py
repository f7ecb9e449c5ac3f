"""Turn the files countries send into typed rows for the raw layer (pure functions, no database).

Entry point: `parse.parse_file(path, source, ctx, display_name)` with a `context.ParseContext`.
"""
