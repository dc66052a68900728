package dev.softswitch.rtp.pool;

/**
 * The Lua scripts of {@link RedisPortPool}, each one atomic on the server. Times are the server's ({@code TIME}, in
 * milliseconds), so instances whose clocks differ still agree on when a lease expires or a quarantine ends.
 *
 * <p>Keys, all under one hash tag so that a Redis Cluster keeps a pool in one slot:
 *
 * <ul>
 *   <li>{@code free}: sorted set, port to the time it may be leased again (0 for never used, release time plus the
 *       quarantine after a call); the lowest score is the least recently released port.
 *   <li>{@code leases}: sorted set, port to the time its lease expires unless renewed.
 *   <li>{@code owners}: hash, port to the id of the instance that holds it.
 *   <li>{@code seeded}: a marker that {@code free} has been filled with the range, once.
 * </ul>
 *
 * A port is in exactly one of {@code free} and {@code leases}; an expired lease goes back to {@code free} on the next
 * lease, with its expiry as its score (so it is free at once: its holder stopped renewing a whole TTL ago).
 */
final class RedisPoolScripts {

    private RedisPoolScripts() {}

    private static final String NOW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            """;

    /**
     * KEYS: free, leases, owners, seeded. ARGV: instance id, lease TTL (ms), first port, last port. Returns {@code
     * {port}}, or {@code {0, leased, quarantined}} when no port may be leased now.
     */
    static final LuaScript LEASE = new LuaScript(NOW + """
            if redis.call('EXISTS', KEYS[4]) == 0 then
              local batch = {}
              for port = tonumber(ARGV[3]), tonumber(ARGV[4]), 2 do
                if not redis.call('ZSCORE', KEYS[2], port) then
                  batch[#batch + 1] = 0
                  batch[#batch + 1] = port
                  if #batch >= 1000 then
                    redis.call('ZADD', KEYS[1], 'NX', unpack(batch))
                    batch = {}
                  end
                end
              end
              if #batch > 0 then
                redis.call('ZADD', KEYS[1], 'NX', unpack(batch))
              end
              redis.call('SET', KEYS[4], '1')
            end
            local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'WITHSCORES')
            for i = 1, #expired, 2 do
              redis.call('ZREM', KEYS[2], expired[i])
              redis.call('HDEL', KEYS[3], expired[i])
              redis.call('ZADD', KEYS[1], expired[i + 1], expired[i])
            end
            local pick = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1)
            if #pick == 0 then
              return {0, redis.call('ZCARD', KEYS[2]), redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')}
            end
            local port = pick[1]
            redis.call('ZREM', KEYS[1], port)
            redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), port)
            redis.call('HSET', KEYS[3], port, ARGV[1])
            return {tonumber(port)}
            """);

    /**
     * KEYS: free, leases, owners. ARGV: instance id, port, quarantine (ms). Puts the port in quarantine and returns 1;
     * returns 0 and changes nothing when another instance holds it (this one's lease expired and was taken).
     */
    static final LuaScript RELEASE = new LuaScript(NOW + """
            local owner = redis.call('HGET', KEYS[3], ARGV[2])
            if owner and owner ~= ARGV[1] then
              return 0
            end
            redis.call('ZREM', KEYS[2], ARGV[2])
            redis.call('HDEL', KEYS[3], ARGV[2])
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
            return 1
            """);

    /**
     * KEYS: free, leases, owners. ARGV: instance id, lease TTL (ms), then the ports the instance holds. Extends each
     * lease; takes back a port nobody holds (its lease expired during an outage, or Redis lost its data) since the
     * call on it is still going on. Returns the ports another instance holds now.
     */
    static final LuaScript RENEW = new LuaScript(NOW + """
            local lost = {}
            for i = 3, #ARGV do
              local port = ARGV[i]
              local owner = redis.call('HGET', KEYS[3], port)
              if owner == ARGV[1] or not owner then
                redis.call('ZREM', KEYS[1], port)
                redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), port)
                redis.call('HSET', KEYS[3], port, ARGV[1])
              else
                lost[#lost + 1] = tonumber(port)
              end
            end
            return lost
            """);
}
