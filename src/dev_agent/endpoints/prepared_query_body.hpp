#pragma once
// A prepared query's JSON both ways: the request body decoded strictly as Consul's
// structs.PreparedQuery (prepared_query_decode.cpp), and the definition rendered in Go's field
// order (prepared_query_render.cpp), with the execute and explain responses around it.

#include "dev_agent/store/prepared_query_execute.hpp"
#include "dev_agent/store/prepared_query_state.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>

namespace coconsul::dev {

// structs.PreparedQuery from a POST or PUT body. Throws body_decode_error with Go's text.
prepared_query_record decode_prepared_query(const boost::json::value& v);

// Consul's parseQuery (the part before the store): the error text after "Invalid prepared
// query: ", or "" when the definition is valid.
std::string prepared_query_problem(const prepared_query_record& q);

boost::json::object render_prepared_query(const prepared_query_record& q);
// PreparedQueryExecuteResponse without its QueryMeta, which the endpoint adds.
boost::json::object render_query_result(const prepared_query_record& q, const query_result& r);

}  // namespace coconsul::dev
