vcl 4.1;
# Varnish 7 in front of one keepfs gateway (or an fs123 exportd), as a site cache for many readers.
#
#   varnishd -a :8080 -f /etc/varnish/keepfs.vcl -s malloc,16G
#
# What it caches: fs123 replies (/.../fs123/7/2/...) and Keep blocks and pieces (/keep/...), keyed by the
# full URL, for exactly as long as the gateway's Cache-Control says. Everything else the gateway serves
# (the collections API, /metrics, /healthz) passes through with the same rules, so the origin decides.
# docs/operating.md explains how to size the storage (-s) and choose max-age on the gateway.

import std;

# The gateway. Replace the address; several gateways behind one name (S3-backed, stateless) belong
# behind a load balancer or a directors.round_robin() in vcl_init.
backend gateway {
    .host = "127.0.0.1";
    .port = "8123";
    .connect_timeout = 5s;
    # Longer than any reply the gateway builds (a 64 MiB block from S3 on a slow link), so Varnish never
    # abandons a fetch that other readers are queued behind.
    .first_byte_timeout = 120s;
    .between_bytes_timeout = 60s;
}

sub vcl_recv {
    if (req.method != "GET" && req.method != "HEAD") {
        # Block uploads and collection updates go straight through; never cached.
        return (pass);
    }
    if (req.http.Authorization) {
        # A token-protected reply must not be handed to the next reader, who may hold no token. Gateways
        # that need tokens for reads therefore get no help from this cache (signed locators do: see below).
        return (pass);
    }
    # fs123 and Keep never use cookies; a browser's stray cookie must not make a reply uncacheable.
    unset req.http.Cookie;

    if (req.url ~ "^/keep/" && req.http.Range) {
        # Varnish answers a Range by fetching the whole object first: for a 64 MiB block that is the
        # 64x read amplification keepfs avoids with 1 MiB pieces (/keep/<locator>/<n>). Let the gateway
        # serve the range itself, uncached; clients that want caching read pieces.
        return (pass);
    }

    # The fs123 client sends "Cache-Control: no-cache" when a reply contradicts what it knew (a smaller
    # validator, a changed ESTALE cookie) and must see the origin's current answer. Varnish ignores
    # request Cache-Control by default; here no-cache fetches anew and the fresh reply replaces the
    # cached one for every later reader. "max-age=0" is deliberately NOT honoured: browsers and tools
    # send it on every reload, and it would turn the site cache into a pass-through.
    if (req.http.Cache-Control ~ "(?i)(^|[,\s])no-cache([,\s]|$)") {
        set req.hash_always_miss = true;
    }
    # "max-stale=N" (the fs123 client sends max-stale=0 on background refreshes) caps how stale a reply
    # this reader accepts: at most N seconds of the object's grace are used for it.
    if (req.http.Cache-Control ~ "(?i)(^|[,\s])max-stale=[0-9]+") {
        set req.grace = std.duration(
            regsub(req.http.Cache-Control, "(?i)^.*max-stale=([0-9]+).*$", "\1s"), 0s);
    }

    # Keep the client's Accept-Encoding only when it asks for fs123-secretbox (encrypted exportd replies);
    # fs123 clients fail on any other content coding, so nothing else may reach the origin.
    if (req.http.Accept-Encoding !~ "fs123-secretbox") {
        unset req.http.Accept-Encoding;
    }
    return (hash);
}

sub vcl_hash {
    # The full URL, including the fs123 ";"-separated query (length;offset of /d and /f) and any cache
    # tag; the Host header is left out so that readers naming the proxy differently share one copy.
    # (Add req.http.host here only if one Varnish fronts several unrelated origins by name.)
    hash_data(req.url);
    return (lookup);
}

sub vcl_backend_fetch {
    # With http_gzip_support on (the default), Varnish asks the backend for gzip on every miss. A gzipped
    # reply would reach fs123 clients, who reject it; ask for the identity coding instead.
    if (bereq.http.Accept-Encoding !~ "fs123-secretbox") {
        unset bereq.http.Accept-Encoding;
    }
}

sub vcl_backend_response {
    # Never compress these replies, and undo compression an origin applied anyway (fs123 clients reject
    # any Content-Encoding except fs123-secretbox).
    set beresp.do_gzip = false;
    if (beresp.http.Content-Encoding ~ "gzip") {
        set beresp.do_gunzip = true;
    }

    if (!beresp.http.Cache-Control && !beresp.http.Expires) {
        # The gateway marks everything cacheable with Cache-Control; a reply without it (a 404 for a
        # block that may be uploaded in a moment, a 4xx naming bad input) must not be kept for Varnish's
        # default_ttl. For one second afterwards, requests for this URL go to the origin without queueing
        # behind each other (hit-for-miss).
        set beresp.ttl = 1s;
        set beresp.grace = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }

    # Grace is the reply's stale-while-revalidate and nothing more: Varnish reads the directive into
    # beresp.grace itself, and falls back to default_grace (10 s) without it. A reply served stale beyond
    # max-age + stale-while-revalidate would break fs123's "settled time" promise to users.
    if (beresp.http.Cache-Control !~ "(?i)(^|[,\s])stale-while-revalidate=") {
        set beresp.grace = 0s;
    }

    if (beresp.http.Cache-Control ~ "(?i)(^|[,\s])immutable([,\s]|$)") {
        # Blocks and pieces are named by their hash and never change: keep them until the storage is full
        # and LRU eviction picks them, not merely the year their max-age says.
        set beresp.ttl = 3650d;
    } else if (beresp.http.ETag) {
        # Keep expired fs123 replies that have an ETag for a while, so the next miss revalidates with
        # If-None-Match: an unchanged directory page or file chunk then costs the origin a 304 and no
        # body. The stored fs123-* headers (fs123-nextoffset is not repeated on a 304) stay on the object.
        set beresp.keep = 1d;
    }
    # Filesystem errors are 200 replies with fs123-errno, so negative lookups (ENOENT) are cached like
    # any other reply, for the max-age the gateway chose for them.
}

sub vcl_deliver {
    # Age is Varnish's own (time since the origin produced the reply, including any Age the origin sent):
    # the fs123 client subtracts it from max-age, so it must not be altered or removed here.
    return (deliver);
}
