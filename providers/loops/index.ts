export { createLoopsConnector } from './loops-connector.js'
