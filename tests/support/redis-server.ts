/**
 * A throw-away redis-server for one test file: the demo stack's recipe on a free loopback port,
 * with the settings the test needs (maxmemory, requirepass, enable-debug-command...).
 */
export { startRedis, type RedisService as RedisServer } from '../../src/demo/services.js';
