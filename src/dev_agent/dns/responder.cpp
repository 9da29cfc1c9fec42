// The gate in front of the answers, as miekg/dns's server (which Consul runs) keeps it: its
// default MsgAcceptFunc on the raw header, FORMERR for what ldns cannot parse, then Consul's
// answer. A reply that cannot be encoded becomes a SERVFAIL.

#include "dev_agent/dns/responder.hpp"

#include "dev_agent/dns/names.hpp"
#include "dev_agent/dns/wire.hpp"

namespace coconsul::dev::dns {
namespace {

constexpr std::uint16_t qr_bit = 0x8000, z_bit = 0x0040, rd_bit = 0x0100, cd_bit = 0x0010;

// A header-only refusal (SetRcodeFormatError): the id, RD and CD as sent; FORMERR says opcode
// QUERY, NOTIMP keeps the client's.
std::vector<std::uint8_t> refusal(const raw_header& h, std::uint8_t code) {
  message m;
  m.head.id = h.id;
  m.head.qr = true;
  m.head.opcode = code == rcode::notimp ? static_cast<std::uint8_t>((h.flags >> 11) & 0xF) : opcode::query;
  m.head.rd = (h.flags & rd_bit) != 0;
  m.head.cd = (h.flags & cd_bit) != 0;
  m.head.rcode = code;
  return encode(m).value_or(std::vector<std::uint8_t>());
}

}  // namespace

responder::responder(const state_store& state, const dev_agent_options& options, token_authorizer authorize,
                     lookup_sources more)
    : state_(state),
      authorize_(std::move(authorize)),
      more_(std::move(more)),
      settings_(options.dns),
      datacenter_(lower_ascii(options.datacenter)),
      domain_(lower_ascii(fqdn(options.dns.domain))),
      random_(std::random_device{}()),
      node_name_(options.node_name) {}

std::optional<std::vector<std::uint8_t>> responder::respond(std::span<const std::uint8_t> bytes, transport t) {
  auto h = read_header(bytes);
  if (!h || (h->flags & qr_bit)) return std::nullopt;
  const auto op = static_cast<std::uint8_t>((h->flags >> 11) & 0xF);
  if (op != opcode::query && op != opcode::notify) return refusal(*h, rcode::notimp);
  // One question; NOTIFY may carry one SOA answer, IXFR one authority record; EDNS0 and TSIG.
  if ((h->flags & z_bit) || h->qdcount != 1 || h->ancount > 1 || h->nscount > 1 || h->arcount > 2)
    return refusal(*h, rcode::formerr);
  auto query = decode(bytes);
  if (!query || query->questions.size() != 1) return refusal(*h, rcode::formerr);

  std::optional<acl::authorizer> authz = authorize_();
  answer_context c{state_,          settings_,       datacenter_, domain_, random_, authz ? &*authz : nullptr,
                   more_.config_entries, more_.by_secret, node_name_};
  message reply = answer(c, *query, t);
  if (auto out = encode(reply)) return out;
  // A name the catalog holds that DNS cannot carry (a label over 63 bytes).
  message failed;
  failed.head = reply.head;
  failed.head.rcode = rcode::servfail;
  failed.questions = reply.questions;
  failed.opt = reply.opt;
  if (auto out = encode(failed)) return out;
  return refusal(*h, rcode::servfail);
}

}  // namespace coconsul::dev::dns
