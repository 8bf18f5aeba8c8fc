import { Client, Connection } from '@temporalio/client'

import { unreachable, type ResolvedTemporal } from './temporal-settings.js'

/** Connects to the workflow engine, runs `fn` with a client, and closes the connection. */
export async function withTemporalClient<T>(temporal: ResolvedTemporal, fn: (client: Client) => Promise<T>): Promise<T> {
  let connection: Connection
  try {
    connection = await Connection.connect(temporal.connect.connectionOptions)
  } catch (error) {
    throw unreachable(temporal, error)
  }
  try {
    return await fn(new Client({ connection, namespace: temporal.namespace }))
  } finally {
    await connection.close()
  }
}
