import type { VendorErrors } from '../../src/destinations/vendor-outcome.js'
import { classifyCourierResponse, readCourierMessage } from './courier-errors.js'

/** How Courier's answers read (vendor-outcome.ts turns them into results). */
export const courierErrors: VendorErrors = {
  vendor: 'Courier',
  classify: classifyCourierResponse,
  readMessage: readCourierMessage,
  authMessage: (destination, _code, _endpoint, where) => `destination "${destination}": Courier refused the auth token (${where})`,
}
