/* SPDX-License-Identifier: Apache-2.0 */
/* path.c - small file-system helpers. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "path.h"

int ccctl_mkdirs(const char *path, unsigned mode)
{
	size_t i, n = strlen(path);
	char *tmp = strdup(path);
	int rc = 0;

	if (!tmp)
		return ccctl_err_nomem();
	for (i = 1; i <= n && rc == 0; i++) {
		if (tmp[i] == '/' || tmp[i] == '\0') {
			char c = tmp[i];
			tmp[i] = '\0';
			if (mkdir(tmp, (mode_t)mode) != 0 && errno != EEXIST)
				rc = ccctl_err_errno(CCCTL_EFAIL, tmp);
			tmp[i] = c;
		}
	}
	free(tmp);
	return rc;
}
