/* SPDX-License-Identifier: MIT */
/*
 * --plot for the example programs: gnuplot draws a PNG or SVG from a
 * script the program writes. Checks come first (name, folder, gnuplot
 * installed), gnuplot's own output never reaches the terminal, a failure
 * is reported in gnuplot's words, and the figure appears under its name
 * only when it was drawn completely.
 */
#ifndef PK_EXAMPLES_PLOT_H
#define PK_EXAMPLES_PLOT_H

#include <stdio.h>

/* A figure being drawn. */
struct plot {
	FILE *g;            /* gnuplot's input: write the script here */
	const char *path;   /* the figure's name */
	char tmp[4200];     /* where gnuplot draws it, renamed when done */
	FILE *log;          /* gnuplot's messages, read when it fails */
};

/*
 * Check @path for --plot: it ends in .png or .svg, holds no ' or newline
 * (gnuplot's quoted strings), and its folder exists and is writable.
 * Returns 0, or -1 after saying why.
 */
int plot_check_path(const char *path);

/* Refuse ' and newlines in a text that goes into the script (@what names
 * it in the message). Returns 0 or -1. */
int plot_check_text(const char *what, const char *text);

/*
 * 1 if gnuplot is in PATH; else say so, how to install it, and that the
 * data of @data_option (e.g. "--csv") can be plotted instead, and return 0.
 */
int plot_gnuplot_available(const char *data_option);

/*
 * Check @path, find gnuplot and start it with the terminal (pngcairo or
 * svg, @width x @height pixels) and output set. Returns 0 with p->g ready
 * for the rest of the script, or -1 after saying why.
 */
int plot_begin(struct plot *p, const char *path, const char *data_option,
	       int width, int height);

/* Let gnuplot finish. Returns 0 when the figure is at its path, or -1
 * (nothing left behind) with gnuplot's last message. */
int plot_end(struct plot *p);

#endif /* PK_EXAMPLES_PLOT_H */
