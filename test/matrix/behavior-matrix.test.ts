import { beforeAll, describe, expect, it, type ExpectStatic } from 'vitest'

import { DESTINATION_CATALOGS } from '../../providers/registry.js'
import type { SyncRunResult } from '../../src/engine/sync-run-result.js'
import {
  EMULATOR_DEFAULT_CREDENTIALS,
  startBrazeEmulator,
  startCleverTapEmulator,
  startCourierEmulator,
  startLoopsEmulator,
} from '../../providers/emulators.js'
import { caseName, MATRIX_CASES, type MatrixCase } from './matrix-cases.js'
import { keyOf, MatrixOracle, pickFields, writtenFields, type ModelRow } from './matrix-oracle.js'
import { MATRIX_STEPS, MODEL_QUERY, type MatrixStep } from './matrix-steps.js'
import { MatrixWorkspace, setMatrixCredentials } from './matrix-workspace.js'
import { readHeld, writeExisting, type Fields, type HeldRecord, type MatrixEmulators } from './vendor-records.js'

/*
 * Every (destination, object, behavior) the catalogs allow, through `outflow run --from-dir`
 * against the emulators and a DuckDB warehouse: the model goes through the same history in each
 * case (create, change, null, remove, bring back), and after every run the destination is compared
 * with the model field by field, and the snapshot with the destination. What each should hold is
 * worked out from the model and the behavior's promise (matrix-oracle.ts), never written down.
 */

beforeAll(() => {
  setMatrixCredentials()
})

/**
 * A fresh emulator of each vendor, so that cases run side by side. Limits far above what a case
 * sends: they would only slow the runs down, not change what is stored.
 */
async function startEmulators(): Promise<MatrixEmulators> {
  const [loops, braze, clevertap, courier] = await Promise.all([
    startLoopsEmulator({ rateLimit: { limit: 10_000, windowMs: 1000 } }),
    startBrazeEmulator(),
    startCleverTapEmulator(),
    startCourierEmulator({ listWriteLimit: { limit: 10_000, windowMs: 60_000 } }),
  ])
  return { loops, braze, clevertap, courier }
}

describe('the behavior x destination matrix', () => {
  it('has one case for every object and behavior the catalogs allow', () => {
    const allowed = Object.values(DESTINATION_CATALOGS).flatMap((catalog) =>
      Object.entries(catalog.objects).flatMap(([object, descriptor]) =>
        descriptor.behaviors.map((behavior) => `${catalog.type} ${object} ${behavior}`),
      ),
    )
    expect(MATRIX_CASES.map(caseName).sort()).toEqual(allowed.sort())
  })

  it.concurrent.for(MATRIX_CASES.map((matrixCase) => [caseName(matrixCase), matrixCase] as const))(
    '%s: the destination and the snapshot follow the model through every change',
    async ([, matrixCase], { expect }) => {
      const emulators = await startEmulators()
      const workspace = await MatrixWorkspace.create(emulators, matrixCase)
      try {
        const oracle = new MatrixOracle(matrixCase, await writeExisting(emulators, matrixCase, EMULATOR_DEFAULT_CREDENTIALS.braze.apiKey))
        for (const step of MATRIX_STEPS) {
          await workspace.sql(...step.sql)
          const startedAt = new Date()
          const { code, result } = await workspace.run()
          expect({ code, status: result.status, error: result.error }, `after "${step.name}": the run`).toEqual({
            code: 0,
            status: 'succeeded',
            error: undefined,
          })
          await checkRun({ expect, emulators, workspace, oracle, matrixCase, step, startedAt, result })
        }
      } finally {
        await workspace.dispose()
        await Promise.all([emulators.loops, emulators.braze, emulators.clevertap, emulators.courier].map((emulator) => emulator.stop()))
      }
    },
  )
})

interface RunCheck {
  /** The test's own `expect`: cases run concurrently. */
  expect: ExpectStatic
  emulators: MatrixEmulators
  workspace: MatrixWorkspace
  oracle: MatrixOracle
  matrixCase: MatrixCase
  step: MatrixStep
  startedAt: Date
  result: SyncRunResult
}

/** Compares, after one run: its outcome and refusals with the model, the destination with the model, the snapshot with the destination. */
async function checkRun({ expect, emulators, workspace, oracle, matrixCase, step, startedAt, result }: RunCheck): Promise<void> {
  const after = `after "${step.name}"`
  expect(result.counts.failed, `${after}: failed records`).toBe(0)

  const { model: rows, rejected, snapshot } = await workspace.inspect(MODEL_QUERY, result.runId ?? '')
  const model = rows as unknown as ModelRow[]
  const refused = oracle.run(model)
  expect([...rejected.keys()].sort(), `${after}: rows refused`).toEqual([...refused].sort())
  expect(result.counts.rejected, `${after}: rejected count`).toBe(refused.size)
  for (const [key, reason] of rejected)
    expect(reason, `${after}: why row ${key} was refused`).toMatch(nullFieldPattern(matrixCase, model, key))

  const held = heldByKey(expect, readHeld(emulators, matrixCase), writtenFields(matrixCase), after)
  const expected = matrixCase.behavior === 'send' ? oracle.events : oracle.records
  expect(Object.fromEntries(held), `${after}: what the destination holds`).toEqual(Object.fromEntries(expected))

  expect([...snapshot.keys()].sort(), `${after}: snapshot keys`).toEqual([...oracle.snapshotKeys()].sort())
  const heldKeys = [...held.keys()].sort()
  if (matrixCase.behavior === 'update') {
    // Rows without a record are accepted and dropped by the destination (`_update_existing_only`).
    expect(
      heldKeys.filter((key) => !snapshot.has(key)),
      `${after}: records missing from the snapshot`,
    ).toEqual([])
  } else {
    expect([...snapshot.keys()].sort(), `${after}: snapshot against the destination`).toEqual(heldKeys)
  }
  for (const key of refused) {
    const row = snapshot.get(key)
    if (row !== undefined)
      expect(row.syncedAt.getTime(), `${after}: refused row ${key} recorded as synced`).toBeLessThan(startedAt.getTime())
  }
  if (matrixCase.reportsCreation === true) {
    const created = [...snapshot.values()].filter((row) => row.created !== true).map((row) => row.key)
    expect(created, `${after}: snapshot rows not marked created by the sync`).toEqual([])
  }
}

/** The destination's records (or events) by key, with only the fields the case writes; a key held twice fails. */
function heldByKey(expect: ExpectStatic, records: readonly HeldRecord[], fields: readonly string[], after: string): Map<string, Fields> {
  const byKey = new Map<string, Fields>()
  for (const { key, fields: held } of records) {
    expect(byKey.has(key), `${after}: the destination holds key ${key} twice`).toBe(false)
    byKey.set(key, pickFields(held, fields))
  }
  return byKey
}

/** A refusal names the destination field whose null it refuses. */
function nullFieldPattern(matrixCase: MatrixCase, model: readonly ModelRow[], key: string): RegExp {
  const row = model.find((candidate) => keyOf(candidate) === key)
  const fields = matrixCase.fields.filter(({ column }) => matrixCase.refusesNull.includes(column) && row?.[column] === null)
  return new RegExp(fields.map(({ field }) => field).join('|') || '^$', 'i')
}
