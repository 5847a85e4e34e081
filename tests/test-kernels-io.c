/* SPDX-License-Identifier: MIT */
/* The HPC Python workshop's I/O kernels: files read back and checked,
 * folders, cleanup, and what goes wrong (not a folder, no space, a file
 * size limit, no permission, zero files, huge grids). */
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>

#ifdef PERFKIT_HAVE_HDF5
#include <hdf5.h>
#endif

#include "pk-check.h"
#include "perfkit/perfkit.h"
#include "kernel-io.h"

static const struct perfkit_kernel *find(const char *name)
{
	const struct perfkit_kernel *k = NULL;

	ck_assert_int_eq(perfkit_kernel_find(name, &k), 0);
	return k;
}

/* A fresh empty folder for one test. */
static void scratch(char *dir, size_t len)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, len, "%s/pk-io-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* Entries of a folder (without . and ..); the names of up to 8 in @names. */
static unsigned entries(const char *dir, char names[][256])
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (names && n < 8)
			snprintf(names[n], 256, "%s", e->d_name);
		n++;
	}
	closedir(d);
	return n;
}

/* Remove a folder and the files in it (one level). */
static void remove_tree(const char *dir)
{
	char names[8][256], path[PATH_MAX];
	unsigned n = entries(dir, names);

	ck_assert_uint_le(n, 8);
	for (unsigned i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	ck_assert_int_eq(rmdir(dir), 0);
}

static struct perfkit_kernel_instance *setup_in(const char *name, int64_t n,
						const char *dir, int keep)
{
	struct perfkit_kernel_options opt = PERFKIT_KERNEL_OPTIONS_INIT;
	struct perfkit_kernel_instance *inst = NULL;

	opt.output_dir = dir;
	opt.keep_output = keep;
	ck_assert_msg(perfkit_kernel_setup(find(name), n, &opt, &inst) == 0,
		      "%s: %s", name, perfkit_last_error());
	return inst;
}

static off_t file_size(const char *path)
{
	struct stat st;

	ck_assert_int_eq(stat(path, &st), 0);
	return st.st_size;
}

/* The path of file @i of the one instance that wrote into @dir. */
static void nth_file(const char *dir, const char *ext, unsigned i, char *path,
		     size_t len)
{
	char names[8][256];
	unsigned n = entries(dir, names);

	for (unsigned k = 0; k < n && k < 8; k++) {
		char want[32];
		size_t l = strlen(names[k]);

		snprintf(want, sizeof(want), "-%05u%s", i, ext);
		if (l > strlen(want) && strcmp(names[k] + l - strlen(want), want) == 0) {
			snprintf(path, len, "%s/%s", dir, names[k]);
			return;
		}
	}
	ck_abort_msg("no file %u (%s) in %s", i, ext, dir);
}

/* ---- the formatter ---- */

START_TEST(test_format_matches_printf)
{
	char fast[32], slow[64];
	uint64_t x = 88172645463325252ull;
	const double edges[] = { 0.1, 0.09999999999999999, 1.0, 9.999999999999998,
				 9.9999999999999999999, 10.0, 0.5, 1.5, 2.0,
				 0.1000000000000000055511151231257827, 5e-324,
				 1e300, 0.0, -1.0, 123.456 };

	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		size_t n = pk_io_format_e18(edges[i], fast);

		snprintf(slow, sizeof(slow), "%.18e", edges[i]);
		fast[n] = '\0';
		ck_assert_str_eq(fast, slow);
	}
	for (int i = 0; i < 200000; i++) {
		double v;
		size_t n;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		/* random mantissas over [0.05, 12): both decades and beyond */
		v = 0.05 + (double)(x >> 11) * 0x1p-53 * 11.95;
		n = pk_io_format_e18(v, fast);
		fast[n] = '\0';
		snprintf(slow, sizeof(slow), "%.18e", v);
		ck_assert_str_eq(fast, slow);
	}
}
END_TEST

/* ---- files read back ---- */

START_TEST(test_text_files_read_back)
{
	struct perfkit_kernel_instance *inst;
	char dir[PATH_MAX], path[PATH_MAX];
	const int64_t n = 7;
	double bytes, items;

	scratch(dir, sizeof(dir));
	inst = setup_in("write-text", n, dir, 1);
	ck_assert_int_eq(perfkit_kernel_run(inst, 2), 0);
	ck_assert_int_eq(perfkit_kernel_run(inst, 1), 0);
	ck_assert_int_eq(perfkit_kernel_verify(inst), 0);
	perfkit_kernel_teardown(inst);
	ck_assert_uint_eq(entries(dir, NULL), 3);
	ck_assert_int_eq(perfkit_kernel_bytes(find("write-text"), n, 3, &bytes), 0);
	ck_assert_int_eq(perfkit_kernel_items(find("write-text"), n, 3, &items), 0);
	ck_assert_double_eq(items, 3);
	for (unsigned f = 0; f < 3; f++) {
		FILE *fp;

		nth_file(dir, ".txt", f, path, sizeof(path));
		ck_assert_int_eq(file_size(path), 25 * n * n);
		ck_assert_double_eq(bytes, 3.0 * (double)file_size(path));
		fp = fopen(path, "r");
		ck_assert_ptr_nonnull(fp);
		for (int64_t i = 0; i < n; i++)
			for (int64_t j = 0; j < n; j++) {
				double v;

				ck_assert_int_eq(fscanf(fp, "%lf", &v), 1);
				ck_assert_close(v, pk_io_value((uint64_t)n, f, (uint64_t)i,
							       (uint64_t)j), 1e-15);
			}
		fclose(fp);
	}
	remove_tree(dir);
}
END_TEST

START_TEST(test_binary_files_read_back)
{
	struct perfkit_kernel_instance *inst;
	char dir[PATH_MAX], path[PATH_MAX];
	const int64_t n = 16;
	double got[16 * 16];

	scratch(dir, sizeof(dir));
	inst = setup_in("write-binary", n, dir, 1);
	ck_assert_int_eq(perfkit_kernel_run(inst, 4), 0);
	ck_assert_int_eq(perfkit_kernel_verify(inst), 0);
	perfkit_kernel_teardown(inst);
	ck_assert_uint_eq(entries(dir, NULL), 4);
	for (unsigned f = 0; f < 4; f++) {
		FILE *fp;

		nth_file(dir, ".bin", f, path, sizeof(path));
		ck_assert_int_eq(file_size(path), 8 * n * n);
		fp = fopen(path, "rb");
		ck_assert_uint_eq(fread(got, sizeof(double), (size_t)(n * n), fp),
				  (size_t)(n * n));
		fclose(fp);
		for (int64_t k = 0; k < n * n; k++)
			ck_assert_close(got[k], pk_io_value((uint64_t)n, f,
							    (uint64_t)(k / n),
							    (uint64_t)(k % n)), 1e-15);
	}
	remove_tree(dir);
}
END_TEST

/* Without keep, teardown removes the files from the user's folder (and
 * nothing else); without a folder, the fresh one goes too. */
START_TEST(test_cleanup)
{
	const char *kinds[] = { "write-text", "write-binary",
#ifdef PERFKIT_HAVE_HDF5
				"write-hdf5",
#endif
	};
	char dir[PATH_MAX], other[PATH_MAX + 16], tmp[PATH_MAX], names[8][256];
	struct perfkit_kernel_instance *inst;
	const char *old = getenv("TMPDIR");
	int fd;

	scratch(dir, sizeof(dir));
	snprintf(other, sizeof(other), "%s/mine.txt", dir);
	fd = open(other, O_CREAT | O_WRONLY, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
	scratch(tmp, sizeof(tmp));
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		inst = setup_in(kinds[k], 5, dir, 0);
		ck_assert_int_eq(perfkit_kernel_run(inst, 3), 0);
		ck_assert_uint_gt(entries(dir, NULL), 1);
		perfkit_kernel_teardown(inst);
		ck_assert_uint_eq(entries(dir, names), 1);
		ck_assert_str_eq(names[0], "mine.txt");

		/* the default: a fresh folder under TMPDIR */
		setenv("TMPDIR", tmp, 1);
		inst = setup_in(kinds[k], 5, NULL, 0);
		ck_assert_int_eq(perfkit_kernel_run(inst, 2), 0);
		ck_assert_uint_eq(entries(tmp, names), 1);
		ck_assert_msg(strncmp(names[0], "perfkit-io-", 11) == 0, "%s", names[0]);
		perfkit_kernel_teardown(inst);
		ck_assert_uint_eq(entries(tmp, NULL), 0);
		if (old)
			setenv("TMPDIR", old, 1);
		else
			unsetenv("TMPDIR");
	}
	unlink(other);
	ck_assert_int_eq(rmdir(dir), 0);
	ck_assert_int_eq(rmdir(tmp), 0);
}
END_TEST

#ifdef PERFKIT_HAVE_HDF5
START_TEST(test_hdf5_read_back)
{
	struct perfkit_kernel_instance *inst;
	char dir[PATH_MAX], names[8][256], path[PATH_MAX + 260], set[32];
	const int64_t n = 12;
	double got[12 * 12];
	hsize_t dims[2];
	H5G_info_t info;
	hid_t f, d, sp;

	scratch(dir, sizeof(dir));
	inst = setup_in("write-hdf5", n, dir, 1);
	ck_assert_int_eq(perfkit_kernel_run(inst, 3), 0);
	ck_assert_int_eq(perfkit_kernel_run(inst, 2), 0);
	ck_assert_int_eq(perfkit_kernel_verify(inst), 0);
	perfkit_kernel_teardown(inst);
	ck_assert_uint_eq(entries(dir, names), 1);
	snprintf(path, sizeof(path), "%s/%s", dir, names[0]);
	f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
	ck_assert_int_ge(f, 0);
	ck_assert_int_ge(H5Gget_info(f, &info), 0);
	ck_assert_uint_eq(info.nlinks, 5);
	for (unsigned k = 0; k < 5; k++) {
		snprintf(set, sizeof(set), "data%05u", k);
		d = H5Dopen2(f, set, H5P_DEFAULT);
		ck_assert_int_ge(d, 0);
		sp = H5Dget_space(d);
		ck_assert_int_eq(H5Sget_simple_extent_dims(sp, dims, NULL), 2);
		ck_assert_uint_eq(dims[0], 12);
		ck_assert_uint_eq(dims[1], 12);
		ck_assert_uint_eq(H5Dget_storage_size(d), 8 * 12 * 12);
		ck_assert_int_ge(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL,
					 H5P_DEFAULT, got), 0);
		for (int64_t i = 0; i < n * n; i++)
			ck_assert_close(got[i], pk_io_value((uint64_t)n, k,
							    (uint64_t)(i / n),
							    (uint64_t)(i % n)), 1e-15);
		H5Sclose(sp);
		H5Dclose(d);
	}
	H5Fclose(f);
	remove_tree(dir);
}
END_TEST
#endif

/* Instances in several threads of one process write distinct files. */
static void *one_writer(void *dir)
{
	struct perfkit_kernel_instance *inst = setup_in("write-binary", 4, dir, 1);

	perfkit_kernel_run(inst, 2);
	perfkit_kernel_teardown(inst);
	return NULL;
}

START_TEST(test_threads_do_not_collide)
{
	pthread_t t[3];
	char dir[PATH_MAX];

	scratch(dir, sizeof(dir));
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, one_writer, dir), 0);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	ck_assert_uint_eq(entries(dir, NULL), 6);
	remove_tree(dir);
}
END_TEST

/* ---- bad input ---- */

START_TEST(test_bad_folders)
{
	const char *kinds[] = { "write-text", "write-binary",
#ifdef PERFKIT_HAVE_HDF5
				"write-hdf5",
#endif
	};
	struct perfkit_kernel_options opt = PERFKIT_KERNEL_OPTIONS_INIT;
	struct perfkit_kernel_instance *inst = NULL;
	char dir[PATH_MAX], file[PATH_MAX + 16], gone[PATH_MAX + 16];
	int fd;

	scratch(dir, sizeof(dir));
	snprintf(file, sizeof(file), "%s/plain", dir);
	snprintf(gone, sizeof(gone), "%s/no-such-folder", dir);
	fd = open(file, O_CREAT | O_WRONLY, 0644);
	close(fd);
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		const struct perfkit_kernel *kn = find(kinds[k]);

		opt.output_dir = file;
		ck_assert_fails(perfkit_kernel_setup(kn, 4, &opt, &inst), -ENOTDIR,
				"is not a folder");
		opt.output_dir = gone;
		ck_assert_fails(perfkit_kernel_setup(kn, 4, &opt, &inst), -ENOENT,
				"no-such-folder");
		opt.output_dir = "";
		ck_assert_fails(perfkit_kernel_setup(kn, 4, &opt, &inst), -EINVAL,
				"empty");
		opt.output_dir = "/dev/null";
		ck_assert_fails(perfkit_kernel_setup(kn, 4, &opt, &inst), -ENOTDIR,
				"not a folder");
		ck_assert_ptr_null(inst);
	}
	unlink(file);
	ck_assert_uint_eq(entries(dir, NULL), 0);
	rmdir(dir);
}
END_TEST

/* Zero files and huge grids are refused before anything is written or
 * allocated. */
START_TEST(test_bad_sizes)
{
	const char *kinds[] = { "write-text", "write-binary",
#ifdef PERFKIT_HAVE_HDF5
				"write-hdf5",
#endif
	};
	struct perfkit_kernel_options opt = PERFKIT_KERNEL_OPTIONS_INIT;
	struct perfkit_kernel_instance *inst = NULL;
	char dir[PATH_MAX];
	double v;

	scratch(dir, sizeof(dir));
	opt.output_dir = dir;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		const struct perfkit_kernel *kn = find(kinds[k]);

		ck_assert_fails(perfkit_kernel_setup(kn, INT64_MAX, &opt, &inst),
				-ERANGE, "overflow");
		ck_assert_fails(perfkit_kernel_setup(kn, (int64_t)1 << 32, &opt, &inst),
				-ERANGE, "overflow");
		ck_assert_fails(perfkit_kernel_setup(kn, 10000000, &opt, &inst),
				-ENOMEM, "physical memory");
		ck_assert_int_eq(perfkit_kernel_setup(kn, 0, &opt, &inst), -EINVAL);
		ck_assert_int_eq(perfkit_kernel_setup(kn, -3, &opt, &inst), -EINVAL);
		ck_assert_ptr_null(inst);
		inst = setup_in(kinds[k], 3, dir, 0);
		ck_assert_fails(perfkit_kernel_run(inst, 0), -EINVAL, "repetitions");
		ck_assert_int_eq(perfkit_kernel_verify(inst), 0); /* nothing written */
		perfkit_kernel_teardown(inst);
		inst = NULL;
		ck_assert_int_eq(perfkit_kernel_items(kn, 0, 1, &v), -EINVAL);
		ck_assert_int_eq(perfkit_kernel_items(kn, 3, 1, NULL), -EINVAL);
		ck_assert_int_eq(perfkit_kernel_items(NULL, 3, 1, &v), -EINVAL);
		ck_assert_int_eq(perfkit_kernel_items(kn, 3, 0, &v), 0);
		ck_assert_double_eq(v, 0);
	}
	/* kernels without items() count none */
	ck_assert_int_eq(perfkit_kernel_items(find("triad"), 100, 5, &v), 0);
	ck_assert_double_eq(v, 0);
	ck_assert_uint_eq(entries(dir, NULL), 0);
	rmdir(dir);
}
END_TEST

/* A changed file breaks verify. */
START_TEST(test_verify_detects_damage)
{
	struct perfkit_kernel_instance *inst;
	char dir[PATH_MAX], path[PATH_MAX];
	int fd;

	scratch(dir, sizeof(dir));
	inst = setup_in("write-text", 4, dir, 0);
	ck_assert_int_eq(perfkit_kernel_run(inst, 2), 0);
	nth_file(dir, ".txt", 1, path, sizeof(path));
	fd = open(path, O_WRONLY);
	ck_assert_int_eq(pwrite(fd, "2", 1, 0), 1);
	close(fd);
	ck_assert_fails(perfkit_kernel_verify(inst), -EBADMSG, "reads back wrong");
	nth_file(dir, ".txt", 0, path, sizeof(path));
	ck_assert_int_eq(truncate(path, 10), 0);
	ck_assert_fails(perfkit_kernel_verify(inst), -EBADMSG, "has 10 bytes");
	perfkit_kernel_teardown(inst);
	ck_assert_uint_eq(entries(dir, NULL), 0);
	rmdir(dir);
}
END_TEST

/* The files finished before a write failure stay; the partial one goes. */
struct failing_write {
	const char *kind;
	const char *dir;
	int64_t n;
	unsigned ok_files; /* out: files left in the folder */
};

static int write_until_failure(struct failing_write *w)
{
	struct perfkit_kernel_instance *inst = NULL;
	struct perfkit_kernel_options opt = PERFKIT_KERNEL_OPTIONS_INIT;
	int rc;

	opt.output_dir = w->dir;
	opt.keep_output = 1;
	rc = perfkit_kernel_setup(find(w->kind), w->n, &opt, &inst);
	if (rc)
		return rc;
	rc = perfkit_kernel_run(inst, 1000);
	w->ok_files = entries(w->dir, NULL);
	perfkit_kernel_teardown(inst);
	return rc;
}

static int fsize_limited(void *arg)
{
	struct failing_write *w = arg;
	struct rlimit lim = { 3 * 25 * 10 * 10 + 100, 3 * 25 * 10 * 10 + 100 };

	signal(SIGXFSZ, SIG_IGN);
	setrlimit(RLIMIT_FSIZE, &lim);
	/* one file of 2,500 bytes fits; the limit is per file, so use a
	 * grid whose file is over the limit */
	w->n = 20; /* 10,000 bytes per file */
	return write_until_failure(w);
}

START_TEST(test_file_size_limit)
{
	char dir[PATH_MAX];
	struct failing_write w = { "write-text", NULL, 0, 0 };
	struct pk_outcome o;

	scratch(dir, sizeof(dir));
	w.dir = dir;
	o = pk_run_within(60, fsize_limited, &w);
	ck_assert_int_eq(o.rc, -EFBIG);
	ck_assert_msg(strstr(o.msg, "file size limit") &&
		      strstr(o.msg, "partial file was removed"), "%s", o.msg);
	ck_assert_uint_eq(entries(dir, NULL), 0);
	rmdir(dir);
}
END_TEST

/* A full disk: a 256 KiB tmpfs in a mount namespace of our own (needs
 * CAP_SYS_ADMIN; skipped without). 77 says "skipped". */
static int on_small_tmpfs(void *arg)
{
	struct failing_write *w = arg;
	char names[8][256];
	int rc;

	(void)names;
	if (unshare(CLONE_NEWNS) != 0 ||
	    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("tmpfs", w->dir, "tmpfs", 0, "size=256k") != 0)
		return 77;
	/* setup refuses a grid one file of which does not fit */
	w->n = 200; /* 1,000,000 bytes of text */
	rc = write_until_failure(w);
	if (rc != -ENOSPC || !strstr(perfkit_last_error(), "bytes free"))
		return 1000 + rc;
	/* files of about 40,000 bytes: six fit, the seventh fails part-way */
	w->n = strcmp(w->kind, "write-text") == 0 ? 40 : 70;
	rc = write_until_failure(w);
	if (w->ok_files < 5 || w->ok_files > 7)
		return 2000 + (int)w->ok_files;
	return rc;
}

START_TEST(test_disk_full)
{
	const char *kinds[] = { "write-text", "write-binary" };

	for (size_t k = 0; k < 2; k++) {
		char dir[PATH_MAX];
		struct failing_write w = { kinds[k], NULL, 0, 0 };
		struct pk_outcome o;

		scratch(dir, sizeof(dir));
		w.dir = dir;
		o = pk_run_within(60, on_small_tmpfs, &w);
		rmdir(dir);
		if (o.rc == 77) {
			fprintf(stderr, "test_disk_full: no mount namespace here; skipped\n");
			return;
		}
		ck_assert_msg(o.rc == -ENOSPC, "%s: rc %d: %s", kinds[k], o.rc, o.msg);
		ck_assert_msg(strstr(o.msg, "the disk is full") &&
			      strstr(o.msg, "partial file was removed"), "%s", o.msg);
	}
}
END_TEST

/* A write error mid-run: the next file's name is a link to /dev/full,
 * where every write fails with ENOSPC. The files finished before stay. */
START_TEST(test_write_error_dev_full)
{
	const char *kinds[] = { "write-text", "write-binary" };
	const char *exts[] = { ".txt", ".bin" };

	for (size_t k = 0; k < 2; k++) {
		struct perfkit_kernel_instance *inst;
		char dir[PATH_MAX], first[PATH_MAX], second[PATH_MAX + 8];
		size_t len;

		scratch(dir, sizeof(dir));
		inst = setup_in(kinds[k], 6, dir, 1);
		ck_assert_int_eq(perfkit_kernel_run(inst, 1), 0);
		nth_file(dir, exts[k], 0, first, sizeof(first));
		len = strlen(first) - strlen("00000") - strlen(exts[k]);
		snprintf(second, sizeof(second), "%.*s00001%s", (int)len, first,
			 exts[k]);
		ck_assert_int_eq(symlink("/dev/full", second), 0);
		ck_assert_fails(perfkit_kernel_run(inst, 3), -ENOSPC,
				"the disk is full");
		ck_assert_msg(strstr(perfkit_last_error(), "partial file was removed"),
			      "%s", perfkit_last_error());
		/* the finished file is kept and still verifies */
		ck_assert_int_eq(perfkit_kernel_verify(inst), 0);
		ck_assert_uint_eq(entries(dir, NULL), 1);
		perfkit_kernel_teardown(inst);
		remove_tree(dir);
	}
}
END_TEST

/* A folder the user may not write into (as a user without the right:
 * root ignores permissions, so drop to nobody first where we are root). */
static int unwritable(void *arg)
{
	struct perfkit_kernel_instance *inst = NULL;
	struct perfkit_kernel_options opt = PERFKIT_KERNEL_OPTIONS_INIT;

	if (getuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
		return 77;
	opt.output_dir = arg;
	return perfkit_kernel_setup(find("write-binary"), 4, &opt, &inst);
}

START_TEST(test_unwritable_folder)
{
	char dir[PATH_MAX];
	struct pk_outcome o;

	scratch(dir, sizeof(dir));
	ck_assert_int_eq(chmod(dir, 0555), 0);
	o = pk_run_within(30, unwritable, dir);
	rmdir(dir);
	if (o.rc == 77)
		return;
	ck_assert_int_eq(o.rc, -EACCES);
	ck_assert_msg(strstr(o.msg, "cannot write into"), "%s", o.msg);
}
END_TEST

static Suite *io_suite(void)
{
	Suite *s = suite_create("kernels-io");
	TCase *files = tcase_create("files");
	TCase *bad = tcase_create("bad input");

	tcase_add_test(files, test_format_matches_printf);
	tcase_add_test(files, test_text_files_read_back);
	tcase_add_test(files, test_binary_files_read_back);
	tcase_add_test(files, test_cleanup);
#ifdef PERFKIT_HAVE_HDF5
	tcase_add_test(files, test_hdf5_read_back);
#endif
	tcase_add_test(files, test_threads_do_not_collide);
	suite_add_tcase(s, files);

	tcase_add_test(bad, test_bad_folders);
	tcase_add_test(bad, test_bad_sizes);
	tcase_add_test(bad, test_verify_detects_damage);
	tcase_add_test(bad, test_file_size_limit);
	tcase_add_test(bad, test_disk_full);
	tcase_add_test(bad, test_write_error_dev_full);
	tcase_add_test(bad, test_unwritable_folder);
	suite_add_tcase(s, bad);
	return s;
}

PK_CHECK_MAIN(io_suite)
