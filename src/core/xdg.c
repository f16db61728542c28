/* xdg: see xdg.h. */
#include "xdg.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* An environment variable that names an absolute directory, else NULL (the
 * XDG spec says relative values are to be ignored). */
static const char *abs_env(const char *name)
{
    const char *v = getenv(name);
    return v && v[0] == '/' ? v : NULL;
}

_Bool xdg_path(XdgKind kind, const char *rel, char *buf, size_t size)
{
    static const char *const env[] = {"XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"};
    static const char *const fallback[] = {".cache", ".config", ".local/share"};
    const char *xdg = abs_env(env[kind]);
    const char *home = abs_env("HOME");
    const char *sep = rel && *rel ? "/" : "";
    if (!xdg && !home) { /* no usable HOME: the account's home, never the cwd */
        const struct passwd *pw = getpwuid(getuid());
        home = pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : NULL;
    }
    int n;
    if (xdg)
        n = snprintf(buf, size, "%s/zspace%s%s", xdg, sep, rel ? rel : "");
    else if (home)
        n = snprintf(buf, size, "%s/%s/zspace%s%s", home, fallback[kind], sep, rel ? rel : "");
    else
        n = -1;
    if (n < 0 && size)
        buf[0] = '\0';
    return n >= 0 && (size_t)n < size;
}
