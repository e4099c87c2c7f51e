/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-eif.c - the strict EIF reader (ccctl_eif_measure).  Besides not
 * crashing: an image the reader accepts without a signature section is
 * rebuilt from its parts by the writer, which must give the same bytes and
 * the same PCRs (the reader accepts exactly what the writer produces).  Each
 * input is tried as it is and with its CRC-32 corrected, so that mutated
 * images also get past the CRC check to the invariant.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/eif.h"
#include "lib/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Measure data; if valid and unsigned, rebuild it and compare. */
static void check(const uint8_t *data, size_t size)
{
	struct ccctl_eif_blob ramdisks[CCCTL_EIF_MAX_SECTIONS];
	struct ccctl_eif_info info;
	struct ccctl_eif_pcrs pcrs, again;
	struct ccctl_eif_spec spec;
	struct ccctl_buf out;

	if (ccctl_eif_measure(&info, &pcrs, data, size, "fuzz") != 0 || info.has_signature)
		return;
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
	ccctl_buf_init(&out);
	if (ccctl_eif_write(&out, &spec) != 0 || out.len != size ||
	    memcmp(out.data, data, size) != 0)
		abort();
	if (ccctl_eif_measure(NULL, &again, out.data, out.len, "again") != 0 ||
	    memcmp(&again, &pcrs, sizeof(pcrs)) != 0)
		abort();
	/* The PCRs computed from the parts, without an image, agree. */
	if (ccctl_eif_pcrs_compute(&again, &spec) != 0 || memcmp(&again, &pcrs, sizeof(pcrs)) != 0)
		abort();
	ccctl_buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;
	uint32_t crc;

	check(data, size);
	if (size < CCCTL_EIF_HEADER_LEN || !(copy = malloc(size)))
		return 0;
	memcpy(copy, data, size);
	crc = ccctl_crc32(0, copy, CCCTL_EIF_CRC_OFFSET);
	crc = ccctl_crc32(crc, copy + CCCTL_EIF_HEADER_LEN, size - CCCTL_EIF_HEADER_LEN);
	for (int i = 0; i < 4; i++)
		copy[CCCTL_EIF_CRC_OFFSET + i] = (uint8_t)(crc >> (24 - 8 * i));
	check(copy, size);
	free(copy);
	return 0;
}
