#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

// accept4 is declared by <sys/socket.h> only under _GNU_SOURCE, which Swift's Glibc module
// is built without; declare it here (Linux >= 2.6.28, glibc >= 2.10).
extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);
