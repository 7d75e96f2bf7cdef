// Fogbank's Python runtime, shipped as source and written next to the code cache on first use:
// imports the handler module from the task root and loops on the Lambda Runtime API, formatting
// errors as AWS's Python runtime (awslambdaric) does. It exits when its stdin closes.

export const PYTHON_BOOTSTRAP = String.raw`
import http.client, importlib, json, os, sys, threading, time, traceback

_api = os.environ['AWS_LAMBDA_RUNTIME_API']
_host, _, _prefix = _api.partition('/')
_prefix = ('/' + _prefix) if _prefix else ''
_conn = http.client.HTTPConnection(_host)

def _watch_stdin():
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        os._exit(0)

threading.Thread(target=_watch_stdin, daemon=True).start()

def _call(method, path, body=None, headers=None):
    h = {'Content-Type': 'application/json'}
    h.update(headers or {})
    _conn.request(method, _prefix + '/2018-06-01' + path, body=body, headers=h)
    r = _conn.getresponse()
    return r, r.read()

def _log(text):
    # One log event per message: newlines travel as \r and Fogbank turns them back.
    sys.stdout.write(text.replace('\r\n', '\r').replace('\n', '\r') + '\n')
    sys.stdout.flush()

def _user_frames(tb):
    frames = traceback.extract_tb(tb)
    while frames and frames[0].filename == __file__:
        frames = frames[1:]
    return traceback.format_list(frames)

def _error(exc, request_id='', error_type=None, message=None):
    stack = _user_frames(exc.__traceback__)
    payload = {
        'errorMessage': message if message is not None else str(exc),
        'errorType': error_type or type(exc).__name__,
        'requestId': request_id,
        'stackTrace': stack,
    }
    _log('[ERROR] %s: %s\nTraceback (most recent call last):\n%s' % (payload['errorType'], payload['errorMessage'], ''.join(stack)))
    return payload

def _init_error(payload):
    _call('POST', '/runtime/init/error', json.dumps(payload), {'Lambda-Runtime-Function-Error-Type': payload['errorType']})
    sys.stdout.flush()
    # Not sys.exit: interpreter shutdown would wait on the thread blocked reading stdin.
    os._exit(1)

def _load_handler():
    spec = os.environ.get('_HANDLER', '')
    try:
        module_name, function_name = spec.rsplit('.', 1)
    except ValueError as e:
        _init_error({'errorMessage': "Bad handler '%s': %s" % (spec, e), 'errorType': 'Runtime.MalformedHandlerName', 'requestId': '', 'stackTrace': []})
    module_name = module_name.replace('/', '.')
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s\n' % (e.filename, e.lineno, (e.text or '').strip())]
        payload = {'errorMessage': "Syntax error in module '%s': %s" % (module_name, e), 'errorType': 'Runtime.UserCodeSyntaxError', 'requestId': '', 'stackTrace': trace}
        _log('[ERROR] Runtime.UserCodeSyntaxError: %s\nTraceback (most recent call last):\n%s' % (payload['errorMessage'], ''.join(trace)))
        _init_error(payload)
    except ImportError as e:
        payload = {'errorMessage': "Unable to import module '%s': %s" % (module_name, e), 'errorType': 'Runtime.ImportModuleError', 'requestId': '', 'stackTrace': []}
        _log('[ERROR] Runtime.ImportModuleError: %s\nTraceback (most recent call last):' % payload['errorMessage'])
        _init_error(payload)
    except Exception as e:
        _init_error(_error(e))
    handler = getattr(module, function_name, None)
    if handler is None:
        payload = {'errorMessage': "Handler '%s' missing on module '%s'" % (function_name, module_name), 'errorType': 'Runtime.HandlerNotFound', 'requestId': '', 'stackTrace': []}
        _log('[ERROR] Runtime.HandlerNotFound: %s\nTraceback (most recent call last):' % payload['errorMessage'])
        _init_error(payload)
    return handler

class LambdaContext(object):
    def __init__(self, request_id, deadline_ms, arn, client_context):
        self.aws_request_id = request_id
        self.invoked_function_arn = arn
        self.function_name = os.environ.get('AWS_LAMBDA_FUNCTION_NAME')
        self.function_version = os.environ.get('AWS_LAMBDA_FUNCTION_VERSION')
        self.memory_limit_in_mb = os.environ.get('AWS_LAMBDA_FUNCTION_MEMORY_SIZE')
        self.log_group_name = os.environ.get('AWS_LAMBDA_LOG_GROUP_NAME')
        self.log_stream_name = os.environ.get('AWS_LAMBDA_LOG_STREAM_NAME')
        self.client_context = client_context
        self.identity = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))

def main():
    # AWS's order: the task root first (in place of this script's folder), then PYTHONPATH's
    # layer folders, then the interpreter's own.
    sys.path[0] = os.environ.get('LAMBDA_TASK_ROOT', os.getcwd())
    handler = _load_handler()
    while True:
        r, body = _call('GET', '/runtime/invocation/next')
        request_id = r.getheader('Lambda-Runtime-Aws-Request-Id')
        deadline = int(r.getheader('Lambda-Runtime-Deadline-Ms'))
        os.environ['_X_AMZN_TRACE_ID'] = r.getheader('Lambda-Runtime-Trace-Id') or ''
        client_context = r.getheader('Lambda-Runtime-Client-Context')
        context = LambdaContext(request_id, deadline, r.getheader('Lambda-Runtime-Invoked-Function-Arn'), json.loads(client_context) if client_context else None)
        try:
            event = json.loads(body or b'null')
            result = handler(event, context)
        except Exception as e:
            payload = _error(e, request_id)
            _call('POST', '/runtime/invocation/%s/error' % request_id, json.dumps(payload), {'Lambda-Runtime-Function-Error-Type': payload['errorType']})
            continue
        try:
            text = json.dumps(result)
        except Exception as e:
            payload = _error(e, request_id, 'Runtime.MarshalError', 'Unable to marshal response: %s' % e)
            payload['stackTrace'] = []
            _call('POST', '/runtime/invocation/%s/error' % request_id, json.dumps(payload), {'Lambda-Runtime-Function-Error-Type': payload['errorType']})
            continue
        _call('POST', '/runtime/invocation/%s/response' % request_id, text)

if __name__ == '__main__':
    main()
`;
