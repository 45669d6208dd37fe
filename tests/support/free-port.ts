// The demo stack already has this; tests use the same one.
export { freePort } from '../../src/demo/services.js';
