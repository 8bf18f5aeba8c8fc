/*
 * Entry point for Pulumi programs (`outflow/pulumi`). `declareOutflow` loads and validates the
 * specs, so that invalid specs fail `pulumi preview` with every `file:line` problem, and declares
 * their resources; the resource classes are here for programs that declare their own.
 */
export { loadValidSpecs } from '../spec/load-valid-specs.js'
export { declareOutflow, type DeclareOutflowOptions, type OutflowResources } from './declare-outflow.js'
export { DestinationConnection, type DestinationConnectionArgs } from './destination-connection.js'
export { Sync, type SyncArgs } from './sync.js'
export type { ConnectionInputs, ConnectionOutputs } from './runtime/connection-types.js'
export type { SyncInputs, SyncOutputs } from './runtime/sync-types.js'
