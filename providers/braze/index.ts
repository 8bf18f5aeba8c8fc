export { createBrazeConnector } from './braze-connector.js'
