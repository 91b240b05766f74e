/* SPDX-License-Identifier: MIT */
/* Unit tests of tthc_open_beneath(): nothing outside the folder, with or without openat2.
 */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "internal.h"

static char top[] = "/tmp/tthc-openat-XXXXXX";
static int dirfd_;

/* A tree: in/a.pdf, in/sub/b.pdf, out.pdf beside it, and links inside and out. */
static int setup(void **state)
{
	char path[256];

	(void)state;
	if (!mkdtemp(top))
		return -1;
	snprintf(path, sizeof(path), "%s/in", top);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/in/sub", top);
	mkdir(path, 0700);
	for (const char *const *f =
	         (const char *const[]){ "in/a.pdf", "in/sub/b.pdf", "out.pdf", NULL };
	     *f; f++) {
		FILE *fp;

		snprintf(path, sizeof(path), "%s/%s", top, *f);
		if (!(fp = fopen(path, "w")))
			return -1;
		fputs("%PDF-1.4\n", fp);
		fclose(fp);
	}
	snprintf(path, sizeof(path), "%s/in/up", top);
	if (symlink("..", path) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/in/same", top);
	if (symlink("sub", path) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/in", top);
	dirfd_ = open(path, O_RDONLY | O_DIRECTORY);
	return dirfd_ < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	close(dirfd_);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return system(cmd) == 0 ? 0 : -1;
}

/* Opens path one way; returns 0 when it opened, else errno. */
static int try_open(int walk, const char *path)
{
	int fd = walk ? tthc_open_walk(dirfd_, path, O_RDONLY | O_CLOEXEC)
	              : tthc_open_beneath(dirfd_, path);

	if (fd < 0)
		return errno ? errno : -1;
	close(fd);
	return 0;
}

static void test_inside(void **state)
{
	(void)state;
	for (int walk = 0; walk < 2; walk++) {
		assert_int_equal(try_open(walk, "a.pdf"), 0);
		assert_int_equal(try_open(walk, "sub/b.pdf"), 0);
		assert_int_equal(try_open(walk, "./sub//b.pdf"), 0);
		assert_int_not_equal(try_open(walk, "missing.pdf"), 0);
	}
}

static void test_outside(void **state)
{
	(void)state;
	assert_int_equal(try_open(0, "../out.pdf"), EXDEV);
	assert_int_equal(try_open(0, "sub/../../out.pdf"), EXDEV);
	assert_int_equal(try_open(0, "/etc/passwd"), EXDEV);
	/* A link leading out is refused whichever way the file is opened. */
	assert_int_not_equal(try_open(0, "up/out.pdf"), 0);
	assert_int_not_equal(try_open(1, "up/out.pdf"), 0);
	/* Without openat2 no link is followed, even one that stays inside. */
	assert_int_not_equal(try_open(1, "same/b.pdf"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inside),
		cmocka_unit_test(test_outside),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
