/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-certs.h - fixed self-signed certificates for tests (alice, bob: P-256;
 * carol: Ed25519) and the SHA-256 of their SubjectPublicKeyInfo, computed
 * with `openssl x509 -pubkey | openssl pkey -pubin -outform DER | sha256sum`.
 */
#ifndef CCCTL_TEST_CERTS_H
#define CCCTL_TEST_CERTS_H

static const char alice_crt[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBdjCCAR2gAwIBAgIUFVLnOiV0+w8FWyhwSAxTsQ9WJIIwCgYIKoZIzj0EAwIw\n"
	"EDEOMAwGA1UEAwwFYWxpY2UwIBcNMjYxMTI1MTY1MTA1WhgPMjEyNjExMDExNjUx\n"
	"MDVaMBAxDjAMBgNVBAMMBWFsaWNlMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n"
	"XSQ9s3GohM6tJR5pEFosnTb9MGjkL2bOF8kqnFel00GZkNHx8NUCN0LBTHmX//ve\n"
	"OXrxEr4g9b/Y/c/i6NrULaNTMFEwHQYDVR0OBBYEFJpbGAMhe1A+AANDZFi3Jr9q\n"
	"qJ0sMB8GA1UdIwQYMBaAFJpbGAMhe1A+AANDZFi3Jr9qqJ0sMA8GA1UdEwEB/wQF\n"
	"MAMBAf8wCgYIKoZIzj0EAwIDRwAwRAIgRzJ3Ka4xqqQrWgefitmNW2ncpjMC95fv\n"
	"NZgtO74/sSACIHwTOSshqXOVo9IopabH09Wi9QGJgRCkiEX0Ub3pkT1d\n"
	"-----END CERTIFICATE-----\n";
static const char alice_spki[] = "8ca5f0617685c2c036b2c0086717a2bc5f895a9444ec369081eedfe0c30dfbda";

static const char bob_crt[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBcjCCARmgAwIBAgIUJwl3vGOFJy5us1XIeKmHKFzvQVgwCgYIKoZIzj0EAwIw\n"
	"DjEMMAoGA1UEAwwDYm9iMCAXDTI2MTEyNTE2NTEwNVoYDzIxMjYxMTAxMTY1MTA1\n"
	"WjAOMQwwCgYDVQQDDANib2IwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASLNSWT\n"
	"yOeuhDex5OfaSz81AlNGC4Wh2vmDfNfdjFnUiuvBbGYL3hcMzzleIuv6qKrwoYMY\n"
	"IHS0FpY4gHmsZn6ro1MwUTAdBgNVHQ4EFgQUgh4IVzcyfipJRTIalC6AsXECe80w\n"
	"HwYDVR0jBBgwFoAUgh4IVzcyfipJRTIalC6AsXECe80wDwYDVR0TAQH/BAUwAwEB\n"
	"/zAKBggqhkjOPQQDAgNHADBEAiAK2g2UcAQPb5pszrQOv83+2BzpJeE/7kZE0coq\n"
	"gLRNjgIgcEr3v40SpSKNrhI6Hj0cdd32GlkRtmw6D5YeeLtBoFI=\n"
	"-----END CERTIFICATE-----\n";
static const char bob_spki[] = "cbc3c69595f9bbf33c6a069e1f3a14621aeba4116452344016a95899efd386a3";

static const char carol_crt[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBNjCB6aADAgECAhRViY965K9eMd2RLx5Gg8nCp7g7ujAFBgMrZXAwEDEOMAwG\n"
	"A1UEAwwFY2Fyb2wwIBcNMjYxMTI1MTY1MTA1WhgPMjEyNjExMDExNjUxMDVaMBAx\n"
	"DjAMBgNVBAMMBWNhcm9sMCowBQYDK2VwAyEA0QQoj/M4p4KefRSUCMewJ+CcuMoM\n"
	"pPqgfMF35TSOutWjUzBRMB0GA1UdDgQWBBS8lpSKvoV9NoWSRNFUoSu022WS6TAf\n"
	"BgNVHSMEGDAWgBS8lpSKvoV9NoWSRNFUoSu022WS6TAPBgNVHRMBAf8EBTADAQH/\n"
	"MAUGAytlcANBAIQv5Icz902ZrV7zl8i8yJgxXeZsxWGtsVebhLz/Pjnqkw7SKSd4\n"
	"6nItgV6TPkjKRk+GwSnMiIQsuSYgBEwVqwk=\n"
	"-----END CERTIFICATE-----\n";
static const char carol_spki[] = "b7806398974e53be68dc901eed5df5db81ccfb710aa2f95ecf883336296a0f4d";

#endif
