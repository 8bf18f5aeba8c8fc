/** The benchmark's model: `users` with a key and nine attributes of mixed types, generated in SQL. */
export function modelSql(source: 'duckdb' | 'postgres', schema: string, rows: number): string {
  const series = source === 'duckdb' ? `range(${rows}) t(i)` : `generate_series(0, ${rows - 1}) t(i)`
  const timestamp = source === 'duckdb' ? `timestamp '2020-01-01' + to_seconds(i)` : `timestamp '2020-01-01' + i * interval '1 second'`
  return `create table ${schema}.users as select i as user_id, 'user' || i || '@example.com' as email,
    'first' || (i % 1000) as first_name, 'last' || (i % 777) as last_name,
    case i % 3 when 0 then 'free' when 1 then 'pro' else 'team' end as plan, 'C' || (i % 50) as country,
    ${timestamp} as signed_up_at, (i % 10000) / 7.0 as lifetime_value, i % 2 = 0 as is_subscribed, (i * 31) % 1000 as score
    from ${series}`
}

/** 1% churn: 0.4% of rows updated, 0.3% deleted, 0.3% inserted. */
export function churnSql(source: 'duckdb' | 'postgres', schema: string, rows: number): string[] {
  const inserted = Math.floor(rows * 0.003)
  const series = source === 'duckdb' ? `range(${inserted}) t(i)` : `generate_series(0, ${inserted - 1}) t(i)`
  return [
    `update ${schema}.users set plan = 'enterprise' where user_id % 250 = 1`,
    `delete from ${schema}.users where user_id % 333 = 2`,
    `insert into ${schema}.users select ${rows} + i, 'new' || i || '@example.com', 'first', 'last', 'pro', 'C1',
      timestamp '2024-01-01', 1.0, true, 1 from ${series}`,
  ]
}
