/// `POST /api/v1/chat/command` body: `{"text": "ack INC-42 looking", "user": "alice"}`.
/// `user` is the chat user recorded on timelines; without it, the API key's name.
struct ChatCommandBody: Decodable {
    let text: String
    let user: String?
}
