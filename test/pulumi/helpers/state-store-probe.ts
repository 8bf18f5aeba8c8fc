/*
 * Reads or changes a state store from a process of its own, run as
 * `node --import tsx state-store-probe.ts <command> <json>`: a DuckDB file is locked by the process
 * that opened it until that process ends, and the provider host opens it too.
 *
 * Commands (argument: { source, name?, sync?, destination?, specHash? }): `list` prints the
 * registrations, `register` writes one as given, `unregister` removes one, `dump` prints every
 * stored value of the specs table.
 */
import { migrateState } from '../../../src/warehouse/state/migrate-state.js'
import { listRegisteredSpecs, registerSpec, unregisterSpec } from '../../../src/warehouse/state/spec-registry.js'
import { stateTables } from '../../../src/warehouse/state/state-tables.js'
import { openWarehouse } from '../../../src/warehouse/open-warehouse.js'
import type { DestinationSpec, SourceSpec, SyncSpec } from '../../../src/model/spec-types.js'

interface ProbeArgument {
  source: SourceSpec
  name?: string
  sync?: SyncSpec
  destination?: DestinationSpec
  specHash?: string
}

const [command, json] = process.argv.slice(2)
const argument = JSON.parse(json ?? '{}') as ProbeArgument
const schema = argument.source.connection.stateSchema
const warehouse = await openWarehouse(argument.source)
try {
  await migrateState(warehouse, schema)
  switch (command) {
    case 'list':
      process.stdout.write(JSON.stringify(await listRegisteredSpecs(warehouse, schema)))
      break
    case 'register':
      await registerSpec(warehouse, schema, argument.sync!, argument.destination!, argument.specHash!)
      break
    case 'unregister':
      await unregisterSpec(warehouse, schema, argument.name!)
      break
    case 'dump':
      process.stdout.write(
        JSON.stringify((await warehouse.run({ sql: `select * from ${stateTables(warehouse.dialect, schema).specs}` })).rows),
      )
      break
    default:
      throw new Error(`unknown command ${String(command)}`)
  }
} finally {
  await warehouse.close()
}
