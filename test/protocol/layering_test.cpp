// The protocol layer is below the transport: its headers bring in no Asio and no Beast (the
// include guards of their configuration headers, which every one of their headers includes).
#include "protocol/json_codec.hpp"
#include "protocol/message.hpp"
#include "protocol/request.hpp"
#include "protocol/response.hpp"

#ifdef BOOST_ASIO_DETAIL_CONFIG_HPP
#error "a protocol header includes Asio"
#endif
#ifdef BOOST_BEAST_CORE_DETAIL_CONFIG_HPP
#error "a protocol header includes Beast"
#endif

#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_CASE(protocol_headers_compile_without_asio_or_beast) {
  // The check is the #error above; this only reports it as run.
  BOOST_TEST(true);
}
