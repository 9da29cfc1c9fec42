// Asio SSL compiled once.
#include <boost/asio/ssl/impl/src.hpp>
