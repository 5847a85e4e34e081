/* SPDX-License-Identifier: MIT */
/* --plot with gnuplot for the example programs (see plot.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "plot.h"

static int suffix_is(const char *path, const char *suffix)
{
	size_t len = strlen(path), n = strlen(suffix);

	return len > n && strcmp(path + len - n, suffix) == 0;
}

int plot_check_text(const char *what, const char *text)
{
	if (strpbrk(text, "'\n"))
		return cli_error("--plot: the %s must not contain ' or a newline", what);
	return 0;
}

int plot_check_path(const char *path)
{
	if (!suffix_is(path, ".png") && !suffix_is(path, ".svg"))
		return cli_error("--plot %s: the file name must end in .png or .svg", path);
	if (plot_check_text("file name", path) != 0)
		return -1;
	return cli_check_output_path("--plot", path);
}

static int in_path(const char *name)
{
	const char *path = getenv("PATH");
	char buf[4096];

	while (path && *path) {
		size_t len = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, path, name);
		if (len > 0 && access(buf, X_OK) == 0)
			return 1;
		path += len + (path[len] == ':');
	}
	return 0;
}

int plot_gnuplot_available(const char *data_option)
{
	if (in_path("gnuplot"))
		return 1;
	fprintf(stderr, "%s: --plot: gnuplot is not installed (not found in PATH).\n"
		"  Debian/Ubuntu: apt-get install gnuplot-nox; Fedora: dnf install gnuplot;\n"
		"  macOS: brew install gnuplot. Or plot the %s data yourself.\n",
		cli_program(), data_option);
	return 0;
}

/*
 * gnuplot writes the image to its stdout when it cannot open the output
 * file, and its messages to stderr: stdout goes to /dev/null and stderr
 * to an unnamed temporary file, read back if it fails.
 */
static int start_gnuplot(struct plot *p)
{
	char cmd[96];
	int fd;

	p->log = tmpfile();
	if (!p->log)
		return cli_error("--plot: cannot create a temporary file: %s", strerror(errno));
	fd = fileno(p->log);
	fcntl(fd, F_SETFD, 0); /* gnuplot inherits it */
	/* not "2>&N": sh (dash) takes only N <= 9, and an MPI program has
	 * many more files open */
	snprintf(cmd, sizeof(cmd), "exec gnuplot >/dev/null 2>>/dev/fd/%d", fd);
	p->g = popen(cmd, "w");
	if (!p->g) {
		cli_error("--plot: cannot run gnuplot: %s", strerror(errno));
		fclose(p->log);
		p->log = NULL;
		return -1;
	}
	return 0;
}

int plot_begin(struct plot *p, const char *path, const char *data_option,
	       int width, int height)
{
	int png = suffix_is(path, ".png");

	memset(p, 0, sizeof(*p));
	p->path = path;
	if (plot_check_path(path) != 0 || !plot_gnuplot_available(data_option))
		return -1;
	snprintf(p->tmp, sizeof(p->tmp), "%s.tmp%ld%s", path, (long)getpid(),
		 png ? ".png" : ".svg");
	if (start_gnuplot(p) != 0)
		return -1;
	fprintf(p->g, "set terminal %s size %d,%d font ',12'\nset output '%s'\n",
		png ? "pngcairo" : "svg", width, height, p->tmp);
	return 0;
}

/* gnuplot's last non-empty line: its error, after any warnings. */
static void last_message(FILE *log, char *msg, size_t size)
{
	char line[512];

	snprintf(msg, size, "no message");
	rewind(log);
	while (fgets(line, sizeof(line), log)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[strspn(line, " \t^")] != '\0')
			snprintf(msg, size, "%s", line + strspn(line, " \t"));
	}
}

int plot_end(struct plot *p)
{
	int status = pclose(p->g);
	char msg[512];
	int rc = 0;

	if (status == -1) {
		rc = cli_error("--plot %s: gnuplot: %s", p->path, strerror(errno));
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		last_message(p->log, msg, sizeof(msg));
		if (WIFEXITED(status))
			rc = cli_error("--plot %s: gnuplot failed (exit status %d): %s",
				       p->path, WEXITSTATUS(status), msg);
		else
			rc = cli_error("--plot %s: gnuplot was killed by signal %d",
				       p->path, WTERMSIG(status));
	} else if (rename(p->tmp, p->path) != 0) {
		rc = cli_error("--plot %s: %s", p->path, strerror(errno));
	}
	if (rc != 0)
		unlink(p->tmp);
	fclose(p->log);
	p->g = p->log = NULL;
	return rc;
}
