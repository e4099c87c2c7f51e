/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-cpio.c - the strict newc reader (ccctl_cpio_parse) and compare.  An
 * archive the reader accepts compares equal to itself.
 */
#include <stdint.h>
#include <stdlib.h>

#include "lib/cpio.h"
#include "lib/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ccctl_cpio *c = NULL;

	if (ccctl_cpio_parse(&c, data, size) != 0)
		return 0;
	if (ccctl_cpio_compare(c, c) != 0)
		abort();
	ccctl_cpio_free(c);
	return 0;
}
