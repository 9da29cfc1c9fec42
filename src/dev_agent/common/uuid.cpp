// Random UUIDs (see uuid.hpp), on Boost.Uuid.

#include "dev_agent/common/uuid.hpp"

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

namespace coconsul::dev {

std::string generate_uuid() {
  // One generator per thread: it holds an entropy source and is not thread-safe.
  static thread_local boost::uuids::random_generator generate;
  return boost::uuids::to_string(generate());
}

}  // namespace coconsul::dev
