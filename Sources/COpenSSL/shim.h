#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

// Function-like macros Swift cannot import, wrapped for the TLS module.
static inline int incidentd_ssl_ctx_set_min_tls12(SSL_CTX *ctx) {
    return (int)SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
}

// Partial writes and a moving write buffer: a non-blocking caller retries a write from a
// buffer that may have moved (Swift arrays) and learns how much of it went out.
static inline void incidentd_ssl_ctx_set_modes(SSL_CTX *ctx) {
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}

// No compression (CRIME), no renegotiation; a peer closing without close_notify reads as
// end of stream (HTTP framing, not TLS, detects a truncated body).
static inline void incidentd_ssl_ctx_set_options(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION
                                 | SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_CIPHER_SERVER_PREFERENCE);
}

// Servers: read and write buffers freed while a connection is idle (as nginx does), so
// thousands of idle keep-alive connections do not hold ~34 KB of buffers each.
static inline void incidentd_ssl_ctx_release_buffers(SSL_CTX *ctx) {
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
}

// Servers: read ahead, so one read(2) takes every record the socket holds (up to the record
// buffer) instead of a 5-byte header read and then a body read per record.
static inline void incidentd_ssl_ctx_read_ahead(SSL_CTX *ctx) {
    SSL_CTX_set_read_ahead(ctx, 1);
}

// Records, in the int the callback argument points to, whether the socket BIO's last read
// came back short of what OpenSSL asked for (or failed): with read-ahead that means the
// socket was drained, so an edge-triggered loop can stop without a read that returns EAGAIN.
static long incidentd_bio_watch_reads(BIO *bio, int oper, const char *argp, size_t len, int argi,
                                      long argl, int ret, size_t *processed) {
    (void)argp;
    (void)argi;
    (void)argl;
    if (oper == (BIO_CB_READ | BIO_CB_RETURN)) {
        int *drained = (int *)BIO_get_callback_arg(bio);
        if (drained != NULL) *drained = !(ret > 0 && processed != NULL && *processed == len);
    }
    return ret;
}

static inline void incidentd_ssl_watch_reads(SSL *ssl, int *drained) {
    BIO *bio = SSL_get_rbio(ssl);
    if (bio == NULL) return;
    BIO_set_callback_arg(bio, (char *)drained);
    BIO_set_callback_ex(bio, incidentd_bio_watch_reads);
}

static inline int incidentd_ssl_set_sni(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}
