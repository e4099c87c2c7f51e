/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-eif.c - the strict EIF reader (ccctl_eif_measure).  Besides not
 * crashing: an image the reader accepts without a signature section is
 * rebuilt from its parts by the writer, which must give the same bytes and
 * the same PCRs (the reader accepts exactly what the writer produces).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/eif.h"
#include "lib/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ccctl_eif_blob ramdisks[CCCTL_EIF_MAX_SECTIONS];
	struct ccctl_eif_info info;
	struct ccctl_eif_pcrs pcrs, again;
	struct ccctl_eif_spec spec;
	struct ccctl_buf out;

	if (ccctl_eif_measure(&info, &pcrs, data, size, "fuzz") != 0 || info.has_signature)
		return 0;
	memset(&spec, 0, sizeof(spec));
	spec.flags = info.flags;
	spec.default_memory = info.default_memory;
	spec.default_cpus = info.default_cpus;
	for (size_t i = 0; i < info.nsections; i++) {
		const struct ccctl_eif_section *s = &info.sections[i];
		struct ccctl_eif_blob b = {data + s->offset + CCCTL_EIF_SECTION_HEADER_LEN,
					   (size_t)s->size};

		if (s->type == CCCTL_EIF_KERNEL)
			spec.kernel = b;
		else if (s->type == CCCTL_EIF_CMDLINE)
			spec.cmdline = b;
		else if (s->type == CCCTL_EIF_METADATA)
			spec.metadata = b;
		else
			ramdisks[spec.nramdisks++] = b;
	}
	spec.ramdisks = ramdisks;
	if (spec.kernel.len == 0)
		return 0; /* the reader allows an empty kernel section, the writer not */
	ccctl_buf_init(&out);
	if (ccctl_eif_write(&out, &spec) != 0 || out.len != size ||
	    memcmp(out.data, data, size) != 0)
		abort();
	if (ccctl_eif_measure(NULL, &again, out.data, out.len, "again") != 0 ||
	    memcmp(&again, &pcrs, sizeof(pcrs)) != 0)
		abort();
	ccctl_buf_release(&out);
	return 0;
}
