/* SPDX-License-Identifier: MIT */
/* perfkit-flops: a share of a theoretical peak with its uncertainty. A
 * theoretical peak is an upper bound, so a share above 100 % is never
 * printed as a fact: within the uncertainty it is a range capped at
 * 100 %, beyond it an error of the table or the clock. */
#include <math.h>

#include "flops-report.h"

const char *report_share_text(double share, double sigma, char *buf, size_t len)
{
	double s = 100 * share, u = 100 * (isfinite(sigma) && sigma > 0 ? sigma : 0);

	if (!isfinite(share))
		snprintf(buf, len, "unknown");
	else if (s < 99.5 && u < 0.5)
		snprintf(buf, len, "%.0f%%", s);
	else if (s < 99.5)
		snprintf(buf, len, "%.0f%% ± %.0f%%", s, u);
	else if (s - 2 * u <= 100 && s - 2 * u >= 99.5)
		snprintf(buf, len, "100%% (measured %.1f%% ± %.1f%%: at most 100%%, "
			 "the theoretical peak is an upper bound)", s, u);
	else if (s - 2 * u <= 100)
		snprintf(buf, len, "%.0f-100%% (measured %.0f%% ± %.0f%%: at most 100%%, "
			 "the theoretical peak is an upper bound)", s - 2 * u, s, u);
	else
		snprintf(buf, len, "not known (measured %.0f%% ± %.0f%%, above the upper "
			 "bound of 100%%: the FLOPs/cycle table or the clock is wrong "
			 "for this CPU)", s, u);
	return buf;
}
