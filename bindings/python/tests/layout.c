/* SPDX-License-Identifier: MIT */
/*
 * Prints, as JSON, the size of every C struct the Python package mirrors
 * with ctypes and the offset and size of each of its fields, as this
 * compiler lays them out. test_layout.py compares them with the mirrors
 * (bindings/python/perfkit/_structs.py): a field added, moved or resized on
 * either side fails the test.
 *
 * Output: {"perfkit_record": {"size": 392, "fields": {"version": [0, 4], ...}}, ...}
 */
#include <stddef.h>
#include <stdio.h>

#include <perfkit/perfkit.h>

static int first_struct = 1;
static int first_field;

#define STRUCT(s)                                                          \
	do {                                                               \
		printf("%s\"%s\": {\"size\": %zu, \"fields\": {",          \
		       first_struct ? "" : ",\n", #s, sizeof(struct s));   \
		first_struct = 0;                                          \
		first_field = 1;                                           \
	} while (0)

#define FIELD(s, f)                                                        \
	do {                                                               \
		printf("%s\"%s\": [%zu, %zu]", first_field ? "" : ", ", #f, \
		       offsetof(struct s, f), sizeof(((struct s *)0)->f)); \
		first_field = 0;                                           \
	} while (0)

#define END() printf("}}")

int main(void)
{
	printf("{");
	STRUCT(perfkit_record_param);
	FIELD(perfkit_record_param, key);
	FIELD(perfkit_record_param, value);
	END();
	STRUCT(perfkit_record);
	FIELD(perfkit_record, version);
	FIELD(perfkit_record, size);
	FIELD(perfkit_record, name);
	FIELD(perfkit_record, host);
	FIELD(perfkit_record, worker);
	FIELD(perfkit_record, rank);
	FIELD(perfkit_record, cpu);
	FIELD(perfkit_record, status);
	FIELD(perfkit_record, t_submit);
	FIELD(perfkit_record, t_start);
	FIELD(perfkit_record, t_setup);
	FIELD(perfkit_record, t_end);
	FIELD(perfkit_record, t_collected);
	FIELD(perfkit_record, repetitions);
	FIELD(perfkit_record, problem_size);
	FIELD(perfkit_record, flops);
	FIELD(perfkit_record, bytes);
	FIELD(perfkit_record, items);
	FIELD(perfkit_record, elapsed);
	FIELD(perfkit_record, nparams);
	FIELD(perfkit_record, params);
	END();
	STRUCT(perfkit_stats);
	FIELD(perfkit_stats, n);
	FIELD(perfkit_stats, min);
	FIELD(perfkit_stats, max);
	FIELD(perfkit_stats, mean);
	FIELD(perfkit_stats, median);
	FIELD(perfkit_stats, stddev);
	FIELD(perfkit_stats, mad);
	FIELD(perfkit_stats, cv);
	FIELD(perfkit_stats, ci_low);
	FIELD(perfkit_stats, ci_high);
	FIELD(perfkit_stats, ci_coverage);
	FIELD(perfkit_stats, outliers);
	END();
	STRUCT(perfkit_stats_two_sample);
	FIELD(perfkit_stats_two_sample, nx);
	FIELD(perfkit_stats_two_sample, ny);
	FIELD(perfkit_stats_two_sample, u);
	FIELD(perfkit_stats_two_sample, p_value);
	FIELD(perfkit_stats_two_sample, exact);
	FIELD(perfkit_stats_two_sample, shift);
	FIELD(perfkit_stats_two_sample, ci_low);
	FIELD(perfkit_stats_two_sample, ci_high);
	FIELD(perfkit_stats_two_sample, ci_coverage);
	END();
	STRUCT(perfkit_clock_info);
	FIELD(perfkit_clock_info, clock);
	FIELD(perfkit_clock_info, reported_resolution_ns);
	FIELD(perfkit_clock_info, observed_resolution_ns);
	FIELD(perfkit_clock_info, overhead_ns);
	FIELD(perfkit_clock_info, reads);
	END();
	STRUCT(perfkit_region_entry);
	FIELD(perfkit_region_entry, name);
	FIELD(perfkit_region_entry, calls);
	FIELD(perfkit_region_entry, inclusive_ns);
	FIELD(perfkit_region_entry, exclusive_ns);
	FIELD(perfkit_region_entry, threads);
	END();
	STRUCT(perfkit_region_edge);
	FIELD(perfkit_region_edge, caller);
	FIELD(perfkit_region_edge, callee);
	FIELD(perfkit_region_edge, calls);
	FIELD(perfkit_region_edge, inclusive_ns);
	FIELD(perfkit_region_edge, exclusive_ns);
	FIELD(perfkit_region_edge, threads);
	END();
	STRUCT(perfkit_amdahl_fit);
	FIELD(perfkit_amdahl_fit, f);
	FIELD(perfkit_amdahl_fit, f_se);
	FIELD(perfkit_amdahl_fit, f_ci);
	FIELD(perfkit_amdahl_fit, limit);
	FIELD(perfkit_amdahl_fit, rse);
	FIELD(perfkit_amdahl_fit, n);
	FIELD(perfkit_amdahl_fit, dof);
	END();
	STRUCT(perfkit_fit_param);
	FIELD(perfkit_fit_param, value);
	FIELD(perfkit_fit_param, ci);
	FIELD(perfkit_fit_param, flags);
	END();
	STRUCT(perfkit_fraction_fit);
	FIELD(perfkit_fraction_fit, f);
	FIELD(perfkit_fraction_fit, t1);
	FIELD(perfkit_fraction_fit, rse);
	FIELD(perfkit_fraction_fit, n);
	FIELD(perfkit_fraction_fit, dof);
	END();
	STRUCT(perfkit_scaling_strong_row);
	FIELD(perfkit_scaling_strong_row, workers);
	FIELD(perfkit_scaling_strong_row, repeats);
	FIELD(perfkit_scaling_strong_row, time);
	FIELD(perfkit_scaling_strong_row, time_sd);
	FIELD(perfkit_scaling_strong_row, time_min);
	FIELD(perfkit_scaling_strong_row, speedup);
	FIELD(perfkit_scaling_strong_row, efficiency);
	FIELD(perfkit_scaling_strong_row, karp_flatt);
	END();
	STRUCT(perfkit_scaling_weak_row);
	FIELD(perfkit_scaling_weak_row, ranks);
	FIELD(perfkit_scaling_weak_row, repeats);
	FIELD(perfkit_scaling_weak_row, samples);
	FIELD(perfkit_scaling_weak_row, time);
	FIELD(perfkit_scaling_weak_row, throughput);
	FIELD(perfkit_scaling_weak_row, ideal);
	FIELD(perfkit_scaling_weak_row, efficiency);
	END();
	STRUCT(perfkit_usl_fit);
	FIELD(perfkit_usl_fit, alpha);
	FIELD(perfkit_usl_fit, beta);
	FIELD(perfkit_usl_fit, gamma);
	FIELD(perfkit_usl_fit, alpha_se);
	FIELD(perfkit_usl_fit, beta_se);
	FIELD(perfkit_usl_fit, gamma_se);
	FIELD(perfkit_usl_fit, alpha_ci);
	FIELD(perfkit_usl_fit, beta_ci);
	FIELD(perfkit_usl_fit, gamma_ci);
	FIELD(perfkit_usl_fit, cov);
	FIELD(perfkit_usl_fit, rse);
	FIELD(perfkit_usl_fit, r2);
	FIELD(perfkit_usl_fit, n);
	FIELD(perfkit_usl_fit, dof);
	FIELD(perfkit_usl_fit, t975);
	FIELD(perfkit_usl_fit, peak_n);
	FIELD(perfkit_usl_fit, peak_x);
	FIELD(perfkit_usl_fit, asymptote);
	FIELD(perfkit_usl_fit, inv_alpha);
	FIELD(perfkit_usl_fit, iterations);
	END();
	STRUCT(perfkit_usl_prediction);
	FIELD(perfkit_usl_prediction, n_workers);
	FIELD(perfkit_usl_prediction, throughput);
	FIELD(perfkit_usl_prediction, se);
	FIELD(perfkit_usl_prediction, ci);
	END();
	STRUCT(perfkit_usl_profile_fit);
	FIELD(perfkit_usl_profile_fit, fit);
	FIELD(perfkit_usl_profile_fit, alpha);
	FIELD(perfkit_usl_profile_fit, beta);
	FIELD(perfkit_usl_profile_fit, gamma);
	END();
	STRUCT(perfkit_scaling_cost);
	FIELD(perfkit_scaling_cost, workers);
	FIELD(perfkit_scaling_cost, time);
	FIELD(perfkit_scaling_cost, worker_hours);
	FIELD(perfkit_scaling_cost, cost);
	FIELD(perfkit_scaling_cost, cost_per_work);
	END();
	STRUCT(perfkit_scaling_point);
	FIELD(perfkit_scaling_point, workers);
	FIELD(perfkit_scaling_point, records);
	FIELD(perfkit_scaling_point, failed);
	FIELD(perfkit_scaling_point, makespan);
	FIELD(perfkit_scaling_point, span);
	FIELD(perfkit_scaling_point, elapsed_max);
	FIELD(perfkit_scaling_point, flops);
	FIELD(perfkit_scaling_point, bytes);
	FIELD(perfkit_scaling_point, items);
	FIELD(perfkit_scaling_point, value);
	END();
	STRUCT(perfkit_complexity_model);
	FIELD(perfkit_complexity_model, law);
	FIELD(perfkit_complexity_model, coefficient);
	FIELD(perfkit_complexity_model, exponent);
	FIELD(perfkit_complexity_model, rms);
	FIELD(perfkit_complexity_model, rss_log);
	FIELD(perfkit_complexity_model, aicc);
	END();
	STRUCT(perfkit_complexity_fit);
	FIELD(perfkit_complexity_fit, n);
	FIELD(perfkit_complexity_fit, best);
	FIELD(perfkit_complexity_fit, models);
	END();
	STRUCT(perfkit_harness_options);
	FIELD(perfkit_harness_options, size);
	FIELD(perfkit_harness_options, kernel);
	FIELD(perfkit_harness_options, problem_size);
	FIELD(perfkit_harness_options, loopcount);
	FIELD(perfkit_harness_options, min_time);
	FIELD(perfkit_harness_options, workers);
	FIELD(perfkit_harness_options, placement);
	FIELD(perfkit_harness_options, mode);
	FIELD(perfkit_harness_options, threads);
	FIELD(perfkit_harness_options, warmup);
	FIELD(perfkit_harness_options, start);
	FIELD(perfkit_harness_options, stagger);
	FIELD(perfkit_harness_options, verify);
	FIELD(perfkit_harness_options, peak_reference);
	FIELD(perfkit_harness_options, progress);
	FIELD(perfkit_harness_options, userdata);
	FIELD(perfkit_harness_options, before_submit);
	FIELD(perfkit_harness_options, cancel);
	FIELD(perfkit_harness_options, total_loopcount);
	END();
	STRUCT(perfkit_harness_progress);
	FIELD(perfkit_harness_progress, size);
	FIELD(perfkit_harness_progress, done);
	FIELD(perfkit_harness_progress, total);
	FIELD(perfkit_harness_progress, point);
	FIELD(perfkit_harness_progress, points);
	FIELD(perfkit_harness_progress, record);
	FIELD(perfkit_harness_progress, results);
	END();
	STRUCT(perfkit_harness_summary);
	FIELD(perfkit_harness_summary, size);
	FIELD(perfkit_harness_summary, workers);
	FIELD(perfkit_harness_summary, failed);
	FIELD(perfkit_harness_summary, flops);
	FIELD(perfkit_harness_summary, bytes);
	FIELD(perfkit_harness_summary, intensity);
	FIELD(perfkit_harness_summary, span);
	FIELD(perfkit_harness_summary, peak_gflops);
	FIELD(perfkit_harness_summary, effective_gflops);
	FIELD(perfkit_harness_summary, peak_gbps);
	FIELD(perfkit_harness_summary, effective_gbps);
	FIELD(perfkit_harness_summary, worker_gflops_min);
	FIELD(perfkit_harness_summary, worker_gflops_median);
	FIELD(perfkit_harness_summary, worker_gflops_max);
	FIELD(perfkit_harness_summary, elapsed_median);
	FIELD(perfkit_harness_summary, elapsed_max);
	FIELD(perfkit_harness_summary, straggler_ratio);
	FIELD(perfkit_harness_summary, theoretical_gflops);
	FIELD(perfkit_harness_summary, fraction_theoretical);
	FIELD(perfkit_harness_summary, peak_kernel_gflops);
	FIELD(perfkit_harness_summary, fraction_peak_kernel);
	FIELD(perfkit_harness_summary, setup_median);
	FIELD(perfkit_harness_summary, spawn_us_median);
	FIELD(perfkit_harness_summary, collect_us_median);
	FIELD(perfkit_harness_summary, machine_gflops);
	FIELD(perfkit_harness_summary, concurrent_gflops);
	FIELD(perfkit_harness_summary, concurrent_fraction_theoretical);
	FIELD(perfkit_harness_summary, oversubscription);
	END();
	printf("}\n");
	return ferror(stdout) ? 1 : 0;
}
