export { createCourierConnector } from './courier-connector.js'
