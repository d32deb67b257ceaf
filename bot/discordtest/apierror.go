package discordtest

// Discord's JSON error codes used by the fake. The numbers are Discord's own,
// so a bot that branches on RESTError.Message.Code behaves the same here.
const (
	CodeUnknownChannel      = 10003
	CodeUnknownApplication  = 10002
	CodeUnknownGuild        = 10004
	CodeUnknownMember       = 10007
	CodeUnknownMessage      = 10008
	CodeUnknownWebhook      = 10015
	CodeUnknownInteraction  = 10062
	CodeUnknownCommand      = 10063
	CodeUnauthorized        = 0 // Discord's 401 body carries code 0
	CodeMissingAccess       = 50001
	CodeMissingPermissions  = 50013
	CodeEmptyMessage        = 50006
	CodeInvalidWebhookToken = 50027
	CodeInvalidFormBody     = 50035
	CodeAlreadyAcknowledged = 40060
	CodeInvalidJSON         = 50109
)

// apiError is the body Discord sends with every 4xx/5xx answer.
type apiError struct {
	Message string `json:"message"`
	Code    int    `json:"code"`
	Errors  any    `json:"errors,omitempty"`
}
