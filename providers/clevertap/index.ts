export { createClevertapConnector } from './clevertap-connector.js'
