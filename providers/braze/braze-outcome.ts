import type { VendorErrors } from '../../src/destinations/vendor-outcome.js'
import { BRAZE_ENDPOINT_PERMISSIONS, classifyBrazeResponse, readBrazeMessage } from './braze-errors.js'

/** How Braze's answers read (vendor-outcome.ts turns them into results). */
export const brazeErrors: VendorErrors = {
  vendor: 'Braze',
  classify: classifyBrazeResponse,
  readMessage: readBrazeMessage,
  /** For `Access Denied`, names the permission the endpoint needs. */
  authMessage(destination, code, endpoint, where) {
    const permission = BRAZE_ENDPOINT_PERMISSIONS[endpoint]
    if (code === 'permission' && permission !== undefined) {
      return `destination "${destination}": the Braze API key lacks the ${permission} permission (${where}); a key's permissions cannot be changed after it is created, so create one that has it`
    }
    return `destination "${destination}": Braze refused the API key (${where}); check the key and that restEndpoint is the key's instance`
  },
}
