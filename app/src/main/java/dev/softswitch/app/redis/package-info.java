/**
 * Redis for instances that share state: one connection per process ({@link dev.softswitch.app.redis.RedisLink}) that
 * keeps reconnecting on its own, and the port pool and call context store that use it
 * ({@link dev.softswitch.app.redis.SharedState}), or their in-memory equivalents without Redis.
 */
package dev.softswitch.app.redis;
