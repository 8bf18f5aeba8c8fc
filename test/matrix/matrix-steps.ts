/** One step of every matrix case: what changes in the model before the next run. */
export interface MatrixStep {
  name: string
  sql: readonly string[]
}

/** Row `id` of the model as first written. */
function person(id: number): string {
  return `(${id}, 'user${id}@example.com', 'Name ${id}', 'free', ${id * 10})`
}

/**
 * The model's history, the same for every case: rows are created, some change, fields become
 * null (on rows already sent, and on a new row), rows leave the model, and one comes back as it was.
 */
export const MATRIX_STEPS: readonly MatrixStep[] = [
  {
    name: 'create rows',
    sql: [
      'create table people (id integer, email varchar, name varchar, plan varchar, score integer)',
      `insert into people values ${[1, 2, 3, 4, 5].map(person).join(', ')}`,
    ],
  },
  {
    name: 'change some',
    sql: [`update people set name = 'Renamed 1' where id = 1`, `update people set plan = 'pro', score = 999 where id = 2`],
  },
  {
    name: 'set fields to null',
    sql: [
      'update people set name = null where id = 3',
      'update people set email = null where id = 4',
      `insert into people values (6, 'user6@example.com', null, 'team', 60)`,
    ],
  },
  { name: 'remove rows', sql: ['delete from people where id in (2, 5)'] },
  { name: 'bring one back', sql: [`insert into people values ${person(5)}`] },
]

/** The model as the runs read it. */
export const MODEL_QUERY = 'select id, email, name, plan, score from people order by id'
