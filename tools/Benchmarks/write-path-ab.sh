#!/usr/bin/env bash
# The database's side of a write, old schema against new, in alternating rounds on one cluster (docs/benchmarks.md,
# "Cheaper writes"). The functions' code is the same for both; what differs is what PostgreSQL runs per write: the
# triggers, the rollup tables' indexes and storage. Run it against two copies of one benchmark database, one migrated
# further than the other:
#
#   psql ... -c "CREATE DATABASE bench_old TEMPLATE bench"     # before migrating bench further
#   tools/Benchmarks/write-path-ab.sh bench_old bench [rounds]
#
# Connection from the usual libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD); the login must be able to SET ROLE
# to the runtime login named by RUNTIME_ROLE (default bench_runtime). Each round runs, in each database:
#   - POST's statement: 8 s of single-invoice INSERT transactions at 4 clients (pgbench), committed, into an account of
#     their own (WRITER_ACCOUNT, default bench-ab), whose invoices and history the script deletes again at the end;
#   - an import's statement: one 10,000-row INSERT ... SELECT of the heaviest account's invoices (new ids), rolled back.
# Prints each round and the medians, and new / old for each figure.
set -euo pipefail

old_db=${1:?usage: write-path-ab.sh OLD_DB NEW_DB [ROUNDS]}
new_db=${2:?usage: write-path-ab.sh OLD_DB NEW_DB [ROUNDS]}
rounds=${3:-4}
role=${RUNTIME_ROLE:-bench_runtime}
account=${ACCOUNT:-bench-000}
writer=${WRITER_ACCOUNT:-bench-ab}
work=$(mktemp -d)

# The writes go through the delete trigger back out of the rollups, so both databases end as they began.
clean_up() {
    for db in "$old_db" "$new_db"; do
        psql -X -q -d "$db" -c "DELETE FROM invoices WHERE account_id = '$writer'" -c "DELETE FROM invoice_history WHERE account_id = '$writer'" >/dev/null
    done
    rm -rf "$work"
}
trap clean_up EXIT

cat > "$work/post.sql" <<SQL
BEGIN;
SET LOCAL ROLE $role;
SELECT set_config('app.account_id', '$writer', true), set_config('app.operation', 'create', true), set_config('app.account_role', 'owner', true);
INSERT INTO invoices (id, account_id, date, due_date, provider, amount, category, payment_method, status, created_by, updated_by)
VALUES (gen_random_uuid(), '$writer', date '2026-01-01' + (random() * 300)::int, date '2026-12-31', 'Provider ' || (random() * 50)::int,
        100.00, 'Servicios', 'transfer', 'pending', 'bench-member', 'bench-member');
COMMIT;
SQL

cat > "$work/import.sql" <<SQL
\timing on
BEGIN;
CREATE TEMP TABLE rows_in ON COMMIT DROP AS SELECT * FROM invoices WHERE account_id = '$account' LIMIT 10000;
UPDATE rows_in SET id = gen_random_uuid(), cufe = NULL;
GRANT SELECT ON rows_in TO $role;
SET LOCAL ROLE $role;
SELECT set_config('app.account_id', '$account', true), set_config('app.operation', 'import', true), set_config('app.account_role', 'owner', true);
\echo import
INSERT INTO invoices SELECT * FROM rows_in;
ROLLBACK;
SQL

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for round in $(seq 1 "$rounds"); do
    for db in "$old_db" "$new_db"; do
        tps=$(pgbench -n -f "$work/post.sql" -c 4 -j 2 -T 8 "$db" 2>&1 | awk '/^tps/ { print $3 }')
        ms=$(psql -X -q -d "$db" -f "$work/import.sql" 2>&1 | awk '/^import/ { found = 1 } found && /^Time:/ { print $2; exit }')
        rows=$(awk -v ms="$ms" 'BEGIN { printf "%.0f", 10000 / (ms / 1000) }')
        tps=$(printf "%.0f" "$tps")
        echo "round $round $db: POST statement $tps tps, import statement $ms ms ($rows rows/s)"
        echo "$tps" >> "$work/$db.tps"
        echo "$rows" >> "$work/$db.rows"
    done
done

old_tps=$(median < "$work/$old_db.tps"); new_tps=$(median < "$work/$new_db.tps")
old_rows=$(median < "$work/$old_db.rows"); new_rows=$(median < "$work/$new_db.rows")
echo "median POST statement: $old_db $old_tps tps, $new_db $new_tps tps, new/old $(awk -v a="$new_tps" -v b="$old_tps" 'BEGIN { printf "%.2f", a / b }')"
echo "median import statement: $old_db $old_rows rows/s, $new_db $new_rows rows/s, new/old $(awk -v a="$new_rows" -v b="$old_rows" 'BEGIN { printf "%.2f", a / b }')"
