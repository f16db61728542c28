/* script: see script.h. Parsing is strict (every argument present, numbers
 * whole, nothing trailing) so a typo fails loudly with its line number. */
#include "script.h"

#include "core/rfile.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool parse_int(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < -100000 || v > 100000)
        return false;
    *out = (int)v;
    return true;
}

/* Whether s is well-formed UTF-8 (RFC 3629: shortest forms only, no
 * surrogates, nothing past U+10FFFF): typed text reaches text fields and the
 * font renderer, which should only ever see real characters. */
static bool utf8_valid(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    while (*s) {
        unsigned c = *s++;
        int more = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2
                   : (c & 0xF8) == 0xF0 ? 3 : -1;
        if (more < 0)
            return false;
        uint32_t cp = c & (0x7Fu >> more);
        for (int i = 0; i < more; i++, s++) {
            if ((*s & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (*s & 0x3Fu);
        }
        static const uint32_t min[4] = {0, 0x80, 0x800, 0x10000};
        if (cp < min[more] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
    }
    return true;
}

static bool parse_wait(ScriptStep *st, char **tok, int ntok)
{
    if (ntok == 3 && !strcmp(tok[2], "frames"))
        return st->op = SC_WAIT_FRAMES, parse_int(tok[1], &st->frames) && st->frames >= 0;
    if (ntok != 2)
        return false;
    char *end;
    double v = strtod(tok[1], &end);
    if (end == tok[1] || !(v >= 0 && v <= 3600e3)) /* NaN too: it would never end */
        return false;
    st->op = SC_WAIT_MS;
    if (!strcmp(end, "ms"))
        st->seconds = v / 1000;
    else if (!strcmp(end, "s"))
        st->seconds = v;
    else
        return false;
    return true;
}

/* "wait-until PATH OP VALUE [SECONDS]": VALUE is a number, or else a
 * string, which only == and != compare. */
static bool parse_wait_until(ScriptStep *st, char **tok, int ntok)
{
    static const char *const ops[] = {">=", "<=", ">", "<", "==", "!="};
    st->op = SC_WAIT_UNTIL;
    st->seconds = 60;
    if (ntok != 4 && ntok != 5)
        return false;
    bool op_ok = false;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        op_ok = op_ok || !strcmp(tok[2], ops[i]);
    if (!op_ok || strlen(tok[1]) > 255 || strlen(tok[3]) >= sizeof ((ScriptValue *)0)->str)
        return false;
    snprintf(st->cmp, sizeof st->cmp, "%s", tok[2]);
    char *end;
    st->value = strtod(tok[3], &end);
    if (end == tok[3] || *end) {
        st->value = NAN;
        if (tok[2][1] != '=' || (tok[2][0] != '=' && tok[2][0] != '!'))
            return false;
    } else if (!isfinite(st->value)) {
        return false;
    }
    int secs;
    if (ntok == 5 && (!parse_int(tok[4], &secs) || secs <= 0 || secs > 3600))
        return false;
    if (ntok == 5)
        st->seconds = secs;
    st->arg = strdup(tok[1]);
    st->text = strdup(tok[3]);
    return true;
}

/* Parse one tokenised line into st; returns NULL or a message. */
static const char *parse_line(ScriptStep *st, char **tok, int ntok, const char *rest)
{
    const char *cmd = tok[0];
    int want_ints = -1;
    if (!strcmp(cmd, "click") || !strcmp(cmd, "rclick") || !strcmp(cmd, "move")) {
        st->op = !strcmp(cmd, "move") ? SC_MOVE : SC_CLICK;
        st->right = cmd[0] == 'r';
        want_ints = 2;
    } else if (!strcmp(cmd, "drag") || !strcmp(cmd, "rdrag")) {
        st->op = SC_DRAG;
        st->right = cmd[0] == 'r';
        want_ints = 5;
    } else if (!strcmp(cmd, "scroll")) {
        st->op = SC_SCROLL;
        want_ints = 3;
    } else if (!strcmp(cmd, "key")) {
        st->op = SC_KEY;
        if (ntok != 2)
            return "usage: key NAME (e.g. key F1, key Ctrl+=)";
        if (!ui_key_parse(tok[1], &st->key))
            return "unknown key name (key names: F1, Home, Escape, A, ...)";
        return NULL;
    } else if (!strcmp(cmd, "type")) {
        st->op = SC_TYPE;
        if (!rest || !*rest)
            return "usage: type TEXT";
        if (!utf8_valid(rest))
            return "the text is not valid UTF-8";
        st->arg = strdup(rest);
        return st->arg ? NULL : "out of memory";
    } else if (!strcmp(cmd, "wait")) {
        return parse_wait(st, tok, ntok) ? NULL : "usage: wait 500ms | wait 2s | wait 30 frames";
    } else if (!strcmp(cmd, "wait-ready")) {
        st->op = SC_WAIT_READY;
        st->seconds = 60;
        if (ntok > 2)
            return "usage: wait-ready [SECONDS]";
        if (ntok == 2) {
            int s;
            if (!parse_int(tok[1], &s) || s <= 0)
                return "usage: wait-ready [SECONDS]";
            st->seconds = s;
        }
        return NULL;
    } else if (!strcmp(cmd, "wait-until")) {
        if (!parse_wait_until(st, tok, ntok))
            return "usage: wait-until PATH >=|<=|>|<|==|!= NUMBER [SECONDS (1-3600)], "
                   "or wait-until PATH ==|!= WORD [SECONDS]";
        return st->arg && st->text ? NULL : "out of memory";
    } else if (!strcmp(cmd, "screenshot") || !strcmp(cmd, "dump-state")) {
        st->op = cmd[0] == 's' ? SC_SCREENSHOT : SC_DUMP;
        if (ntok != 2)
            return cmd[0] == 's' ? "usage: screenshot FILE.png" : "usage: dump-state FILE.json";
        st->arg = strdup(tok[1]);
        return st->arg ? NULL : "out of memory";
    } else if (!strcmp(cmd, "quit")) {
        st->op = SC_QUIT;
        return ntok == 1 ? NULL : "usage: quit";
    } else if (!strcmp(cmd, "resize")) {
        st->op = SC_RESIZE;
        if (ntok != 3 || !parse_int(tok[1], &st->x0) || !parse_int(tok[2], &st->y0))
            return "usage: resize WIDTH HEIGHT";
        if (st->x0 < 200 || st->y0 < 150 || st->x0 > 16384 || st->y0 > 16384)
            return "the size must lie between 200x150 and 16384x16384";
        return NULL;
    } else {
        return "unknown command (click, rclick, move, drag, rdrag, scroll, key, type, wait, "
               "wait-ready, wait-until, screenshot, dump-state, resize, quit)";
    }
    int *dst[5] = {&st->x0, &st->y0, &st->x1, &st->y1, &st->steps};
    if (st->op == SC_SCROLL)
        dst[2] = &st->steps;
    if (ntok != want_ints + 1)
        return st->op == SC_DRAG     ? "usage: drag X1 Y1 X2 Y2 STEPS"
               : st->op == SC_SCROLL ? "usage: scroll X Y NOTCHES"
                                     : "usage: click X Y";
    for (int i = 0; i < want_ints; i++)
        if (!parse_int(tok[i + 1], dst[i]))
            return "expected a whole number";
    if (st->op == SC_DRAG && st->steps < 1)
        return "drag needs at least 1 step";
    return NULL;
}

int script_parse(Script *s, const char *name, const char *text, Err *e)
{
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    int cap = 0, lineno = 0;
    const char *p = text;
    while (*p) {
        lineno++;
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char line[1024];
        if (len >= sizeof line) {
            script_free(s);
            return err_set(e, ERR_FORMAT, "%s:%d: line too long", name, lineno);
        }
        memcpy(line, p, len);
        line[len] = '\0';
        p += len + (eol ? 1 : 0);
        /* '#' is text inside `type`, wherever the line's indentation puts it */
        const char *first = line + strspn(line, " \t\r\v\f");
        char *hash = strchr(line, '#');
        if (hash && strncmp(first, "type", 4) != 0)
            *hash = '\0';
        /* tokens; `rest` keeps the raw text after the command for `type` */
        char *tok[8];
        int ntok = 0;
        char *q = line;
        while (isspace((unsigned char)*q))
            q++;
        if (!*q)
            continue;
        const char *rest = NULL;
        char *cmd_end = q;
        while (*cmd_end && !isspace((unsigned char)*cmd_end))
            cmd_end++;
        if (*cmd_end) {
            rest = cmd_end + 1;
            while (isspace((unsigned char)*rest))
                rest++;
        }
        char restbuf[1024];
        snprintf(restbuf, sizeof restbuf, "%s", rest ? rest : "");
        for (size_t k = strlen(restbuf); k && isspace((unsigned char)restbuf[k - 1]); k--)
            restbuf[k - 1] = '\0';
        for (char *t = strtok(q, " \t\r"); t && ntok < 8; t = strtok(NULL, " \t\r"))
            tok[ntok++] = t;
        if (s->n == cap) {
            cap = cap ? cap * 2 : 32;
            ScriptStep *ns = realloc(s->steps, (size_t)cap * sizeof *ns);
            if (!ns) {
                script_free(s);
                return err_set(e, ERR_NOMEM, "%s: out of memory", name);
            }
            s->steps = ns;
        }
        ScriptStep *st = &s->steps[s->n];
        memset(st, 0, sizeof *st);
        st->line = lineno;
        const char *why = parse_line(st, tok, ntok, restbuf);
        if (why) {
            free(st->arg);
            free(st->text);
            int rc = err_set(e, ERR_FORMAT, "%s:%d: '%s': %s", name, lineno, tok[0], why);
            script_free(s);
            return rc;
        }
        s->n++;
    }
    return ERR_OK;
}

int script_load(Script *s, const char *path, Err *e)
{
    /* A directory or FIFO is refused at once: read as an empty script it
     * would leave the window waiting for a quit that never comes. */
    FILE *f = rfile_open(path, RFILE_REGULAR, e);
    if (!f)
        return e ? err_prefix(e, "script") : ERR_IO;
    char *text = malloc(1 << 20);
    size_t n = text ? fread(text, 1, (1 << 20) - 1, f) : 0;
    bool too_big = text && n == (1 << 20) - 1 && fgetc(f) != EOF;
    int rerr = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    if (!text)
        return err_set(e, ERR_NOMEM, "script %s: out of memory", path);
    const char *nul = memchr(text, '\0', n);
    int rc = ERR_OK;
    if (rerr)
        rc = err_set(e, ERR_IO, "script %s: read error: %s", path, strerror(rerr));
    else if (too_big)
        rc = err_set(e, ERR_FORMAT, "script %s: larger than 1 MiB", path);
    else if (nul) /* the parser reads text: a NUL would hide every later line */
        rc = err_set(e, ERR_FORMAT, "script %s: a NUL byte at byte %zu; not a text file", path,
                     (size_t)(nul - text));
    if (rc != ERR_OK) {
        free(text);
        return rc;
    }
    text[n] = '\0';
    rc = script_parse(s, path, text, e);
    free(text);
    return rc;
}

void script_free(Script *s)
{
    for (int i = 0; i < s->n; i++) {
        free(s->steps[i].arg);
        free(s->steps[i].text);
    }
    free(s->steps);
    s->steps = NULL;
    s->n = 0;
}
