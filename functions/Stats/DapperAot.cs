using Dapper;

// Dapper.AOT generates the data access code at build time, so queries run under Native AOT without reflection.
[module: DapperAot]
