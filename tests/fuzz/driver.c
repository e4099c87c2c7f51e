/* SPDX-License-Identifier: Apache-2.0 */
/*
 * driver.c - replay files (or every file of folders) through a fuzz
 * target's LLVMFuzzerTestOneInput, for builds without libFuzzer.  `make
 * check` uses it to run each target over its seed corpus.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t len = 0, cap = 0, n;
	int rc = 1;

	if (!f) {
		perror(path);
		return 1;
	}
	for (;;) {
		if (cap - len < 65536) {
			uint8_t *p = realloc(data, cap + 65536);
			if (!p)
				goto out;
			data = p;
			cap += 65536;
		}
		n = fread(data + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		perror(path);
		goto out;
	}
	LLVMFuzzerTestOneInput(data, len);
	rc = 0;
out:
	free(data);
	fclose(f);
	return rc;
}

int main(int argc, char **argv)
{
	int failed = 0, count = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			failed |= run_file(argv[i]);
			count++;
			continue;
		}
		DIR *d = opendir(argv[i]);
		struct dirent *e;
		if (!d) {
			perror(argv[i]);
			return 1;
		}
		while ((e = readdir(d)) != NULL) {
			char path[4096];
			if (e->d_name[0] == '.')
				continue;
			if ((size_t)snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name) >=
			    sizeof(path))
				continue;
			failed |= run_file(path);
			count++;
		}
		closedir(d);
	}
	printf("%d inputs replayed\n", count);
	return failed;
}
