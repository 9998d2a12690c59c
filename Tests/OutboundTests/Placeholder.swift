import Outbound
