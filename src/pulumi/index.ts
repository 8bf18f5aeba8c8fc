/*
 * Entry point for Pulumi programs (`outflow/pulumi`). A program loads and validates the specs
 * here, so that invalid specs fail `pulumi preview` with every `file:line` problem.
 */
export { loadValidSpecs } from '../spec/load-valid-specs.js'
