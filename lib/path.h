/* SPDX-License-Identifier: Apache-2.0 */
/* path.h - small file-system helpers. */
#ifndef CCCTL_PATH_H
#define CCCTL_PATH_H

/* Create path and its missing parents with mode (like mkdir -p); 0, or
 * CCCTL_EFAIL naming the folder that could not be made. */
int ccctl_mkdirs(const char *path, unsigned mode);

#endif
