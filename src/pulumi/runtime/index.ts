/*
 * The code the `DestinationConnection` and `Sync` providers run (`outflow/pulumi-runtime`). The
 * serialized providers in Pulumi state import it by this name, so state written by any earlier
 * release calls these functions: keep their names and signatures backward compatible.
 */
export { checkConnection } from './connection-check.js'
export { diffConnection } from './connection-diff.js'
export { createConnection, deleteConnection, readConnection, updateConnection } from './connection-runtime.js'
export type { ConnectionInputs, ConnectionOutputs } from './connection-types.js'
export { checkSync } from './sync-check.js'
export { diffSync } from './sync-diff.js'
export { createSync, deleteSync, readSync, updateSync } from './sync-runtime.js'
export type { SyncInputs, SyncOutputs } from './sync-types.js'
export { UNKNOWN_VALUE } from './unknown-value.js'
