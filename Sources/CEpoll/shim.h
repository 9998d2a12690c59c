#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
