/* xdg: where zspace keeps its files, per the XDG base directories:
 * $XDG_CACHE_HOME/zspace (models it trains: the default model, the study's,
 * the digit classifier), $XDG_CONFIG_HOME/zspace (session, recent files) and
 * $XDG_DATA_HOME/zspace (datasets the user imported or fetched), falling back
 * to ~/.cache, ~/.config and ~/.local/share. Relative values are ignored;
 * without an absolute HOME the account's home directory (passwd) is used,
 * never the current directory.
 * Thread rule: reads the environment only; callable from any thread. */
#ifndef ZSPACE_CORE_XDG_H
#define ZSPACE_CORE_XDG_H

#include <stddef.h>

typedef enum { XDG_CACHE, XDG_CONFIG, XDG_DATA } XdgKind;

/* "<base>/zspace/<rel>" (rel "" gives the directory itself) into buf.
 * Returns false when it did not fit (buf then holds a cut path) or there is
 * no home directory at all (buf is then ""). */
_Bool xdg_path(XdgKind kind, const char *rel, char *buf, size_t size);

#endif
