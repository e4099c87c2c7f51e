/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auction - sealed-bid second-price (Vickrey) auction.
 *
 *   auction RESERVE BID...
 *
 * RESERVE is the auctioneer's file (/input/NAME.csv) with the header
 * "reserve_price" and one amount; every BID is a bidder's file
 * /input/BIDDER.csv with the header "bid" and one amount.  Amounts are
 * decimals with at most 2 places, from 0.01 to 1000000000000 (a reserve may
 * be 0).
 *
 * The highest bid wins if it reaches the reserve; the winner pays the
 * second-highest bid, or the reserve if that is higher (or if there is no
 * other bid).  Equal highest bids: the bidder named first on the command
 * line wins and pays that amount.
 *
 * Writes /output/result.csv for the auctioneer ("outcome,winner,price":
 * "sold,BIDDER,PRICE" or "unsold,,") and /output/BIDDER.csv for each bidder
 * ("outcome,price": "won,PRICE" or "lost,").  A losing bidder learns neither
 * the winner, nor the price, nor any other bid.
 */
#include "tplio.h"

#define RESULT	   "/output/result.csv"
#define MAX_NAME   32
#define MAX_AMOUNT ((int64_t)1000000000000 * 100) /* in cents */

struct bidder {
	char name[MAX_NAME + 1];
	char out[sizeof("/output/") + MAX_NAME + sizeof(".csv")];
	int64_t bid; /* cents */
};

/* Read a file holding exactly one amount under `header`, in cents. */
static int64_t read_amount(const char *path, const char *header, int64_t min)
{
	struct tpl_file f;
	char *line;
	int64_t v;

	tpl_read(&f, path);
	tpl_header(&f, header);
	line = tpl_next_line(&f);
	if (!line) {
		f.line = 2;
		tpl_invalid(&f, "expected one amount after the header, found none");
	}
	tpl_fields(&f, line, &line, 1);
	v = tpl_decimal(&f, header, line, 2, 0, min, MAX_AMOUNT);
	if (tpl_next_line(&f))
		tpl_invalid(&f, "expected one amount after the header, found more");
	free(f.data);
	return v;
}

/* The bidder's name from "/input/NAME.csv". */
static void bidder_name(struct bidder *b, const char *path)
{
	const char *name = path + 7;
	size_t n = strlen(name), i;

	if (!tpl_is_input_path(path) || n < 5 || strcmp(name + n - 4, ".csv") != 0 ||
	    n - 4 > MAX_NAME || !(name[0] >= 'a' && name[0] <= 'z'))
		tpl_die(2,
			"\"%s\": expected /input/BIDDER.csv (BIDDER: a-z, then up to 31 "
			"of a-z 0-9 - _)",
			path);
	for (i = 0; i < n - 4; i++)
		if (name[i] == '.')
			tpl_die(2, "\"%s\": expected /input/BIDDER.csv", path);
	memcpy(b->name, name, n - 4);
	b->name[n - 4] = '\0';
	if (strcmp(b->name, "result") == 0)
		tpl_die(2, "\"%s\": a bidder cannot be called \"result\"", path);
	snprintf(b->out, sizeof(b->out), "/output/%s.csv", b->name);
}

int main(int argc, char **argv)
{
	struct bidder *bids;
	size_t n, i, win = 0;
	int64_t reserve, second = -1, price = 0;
	int sold;
	char amount[32];
	FILE *out;

	tpl_prog = "auction";
	if (argc < 3)
		tpl_die(2, "usage: auction RESERVE BID...");
	tpl_check_inputs(argc, argv, 1);
	n = (size_t)argc - 2;
	bids = tpl_xcalloc(n, sizeof(*bids));
	for (i = 0; i < n; i++)
		bidder_name(&bids[i], argv[i + 2]);

	reserve = read_amount(argv[1], "reserve_price", 0);
	for (i = 0; i < n; i++)
		bids[i].bid = read_amount(argv[i + 2], "bid", 1);

	for (i = 1; i < n; i++)
		if (bids[i].bid > bids[win].bid)
			win = i;
	for (i = 0; i < n; i++)
		if (i != win && bids[i].bid > second)
			second = bids[i].bid;
	sold = bids[win].bid >= reserve;
	if (sold)
		price = second > reserve ? second : reserve;

	out = tpl_out_open(RESULT);
	if (sold)
		fprintf(out, "outcome,winner,price\nsold,%s,%s\n", bids[win].name,
			tpl_fmt_decimal(amount, price, 2));
	else
		fputs("outcome,winner,price\nunsold,,\n", out);
	tpl_out_close(out, RESULT);

	for (i = 0; i < n; i++) {
		out = tpl_out_open(bids[i].out);
		if (sold && i == win)
			fprintf(out, "outcome,price\nwon,%s\n", tpl_fmt_decimal(amount, price, 2));
		else
			fputs("outcome,price\nlost,\n", out);
		tpl_out_close(out, bids[i].out);
	}
	free(bids);
	return 0;
}
