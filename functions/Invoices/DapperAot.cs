using Dapper;

// Dapper.AOT generates this function's data access code at build time: its queries run under Native AOT without reflection.
[module: DapperAot]
