/* SPDX-License-Identifier: MIT */
/* perfkit-timeit -N: a command split into words as sh would split it,
 * with '...', "..." and backslashes, and nothing else (no variables, no
 * globbing, no redirection: those need a shell). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "timeit.h"

void timeit_words_free(char **w)
{
	for (char **p = w; p && *p; p++)
		free(*p);
	free(w);
}

/* One word from *@s into @out; 0, or -1 for an open quote. */
static int one_word(const char **s, char *out)
{
	const char *p = *s;
	char quote = 0;

	for (; *p && (quote || !strchr(" \t\n", *p)); p++) {
		if (quote == '\'' && *p == '\'') {
			quote = 0;
		} else if (quote == '"' && *p == '"') {
			quote = 0;
		} else if (!quote && (*p == '\'' || *p == '"')) {
			quote = *p;
		} else if (*p == '\\' && quote != '\'' && p[1]) {
			*out++ = *++p;
		} else {
			*out++ = *p;
		}
	}
	*out = '\0';
	*s = p;
	return quote ? -1 : 0;
}

char **timeit_words(const char *cmd)
{
	size_t len = strlen(cmd), n = 0;
	char **w = calloc(len / 2 + 2, sizeof(*w));
	const char *p = cmd;
	int ok = 1;

	if (!w) {
		cli_error("out of memory");
		return NULL;
	}
	for (;;) {
		p += strspn(p, " \t\n");
		if (!*p)
			break;
		if (!(w[n] = malloc(len + 1))) {
			ok = cli_error("out of memory");
			break;
		}
		if (one_word(&p, w[n++]) != 0) {
			ok = cli_error("command '%s': a quote is not closed", cmd);
			break;
		}
	}
	if (ok != 1 || n == 0) {
		if (ok == 1)
			cli_error("the command is empty");
		timeit_words_free(w);
		return NULL;
	}
	return w;
}
