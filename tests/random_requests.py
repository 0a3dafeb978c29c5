"""Requests a reader (or a crawler, or someone filling the cache) might send to the public pages:
random parameters and cookies, for the cache-key tests and benchmarks/cache_keys.py."""

import string

from django.conf import settings

# Public addresses in their canonical form (the directory's filters exist in the demo content).
PAGES = [
    "/de/",
    "/en/partners/warsaw/",
    "/de/imprint/",
    "/robots.txt",
    "/sitemap.xml",
    "/sitemap-partners.xml",
    "/de/partners/",
    "/en/partners/?kind=twin_city",
    "/en/partners/?country=CN&status=active&sort=-year",
]


def token(rng, alphabet=string.ascii_letters + string.digits, longest=12):
    return "".join(rng.choices(alphabet, k=rng.randint(1, longest)))


def noise(rng, taken):
    """A parameter no page reads, or one of the directory's not `taken`, in a form equal to its
    absence."""
    value = token(rng)
    candidates = [
        f"utm_source={value}",
        f"utm_campaign={value}&utm_medium=email",
        f"x{value}={value}",
        f"u={rng.randint(0, 10**9)}",
        f"fbclid={value}",
        f"_={value}",
        "q=",
        "q=+",
        "page=1",
        "page=01",
        "sort=name",
        "country=",
        "status=",
    ]
    return rng.choice([c for c in candidates if c.partition("=")[0] not in taken])


def unbounded(rng):
    """A query with something there is no end of (a search, an invalid value, a page past the
    end): never stored."""
    value = token(rng, string.ascii_lowercase, 10)
    return rng.choice(
        [
            f"/en/partners/?q={value}",
            f"/de/partners/?kind={value}",
            f"/en/partners/?sort={value}&status=active",
            f"/de/partners/?page={rng.randint(10**4, 10**9)}",
            f"/sitemap-partners.xml?p={rng.randint(2, 10**9)}",
        ]
    )


def random_cookies(client, rng):
    client.cookies.clear()
    if rng.random() < 0.5:
        alphabet = string.ascii_lowercase + string.digits
        length = rng.choice([8, 32, 40])
        client.cookies[settings.SESSION_COOKIE_NAME] = "".join(rng.choices(alphabet, k=length))
    if rng.random() < 0.5:
        client.cookies[f"c{rng.randint(0, 10**6)}"] = str(rng.random())


def random_request(client, rng):
    """(response, kind): "equivalent" to one of PAGES, "unbounded", or another "method"."""
    random_cookies(client, rng)
    chance = rng.random()
    if chance < 0.05:
        method = rng.choice(["OPTIONS", "TRACE", "POST", "PROPFIND"])
        return client.generic(method, rng.choice(PAGES)), "method"
    if chance < 0.25:
        return client.get(unbounded(rng)), "unbounded"
    path, _sep, query = rng.choice(PAGES).partition("?")
    parameters = query.split("&") if query else []
    taken = {parameter.partition("=")[0] for parameter in parameters}
    parameters += [noise(rng, taken) for _noise in range(rng.randint(1, 4))]
    rng.shuffle(parameters)
    return client.get(f"{path}?{'&'.join(parameters)}"), "equivalent"
