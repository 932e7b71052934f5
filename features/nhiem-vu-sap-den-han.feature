# language: vi
Tính năng: Quy tắc nhiem-vu-sap-den-han: nhiệm vụ sắp đến hạn
  Nhiệm vụ chưa hoàn thành mà còn từ 0 đến 7 ngày là đến hạn thì nhắc đơn vị chủ trì.

  Bối cảnh:
    Cho ngày kiểm tra là 22/11/2026
    Và kế hoạch năm 2026

  Kịch bản: Còn 7 ngày đến hạn cuối tháng 11 thì nhắc
    Cho ngày kiểm tra là 23/11/2026
    Và các nhiệm vụ:
      | TT | Nhiệm vụ                    | Đơn vị chủ trì | Thời gian thực hiện                  |
      | 9  | Ngày thứ 7 tình nguyện      | Trung tâm Phục vụ hành chính công | Bắt đầu từ tháng 4 đến tháng 11/2026 |
    Khi kiểm tra theo quy tắc "nhiem-vu-sap-den-han"
    Thì có phát hiện vi phạm cho nhiệm vụ "9"
    Và giá trị "days_left" là 7
    Và mức độ là "nhắc nhở"

  Kịch bản: Còn 8 ngày thì chưa nhắc
    Cho các nhiệm vụ:
      | TT | Nhiệm vụ               | Đơn vị chủ trì | Thời gian thực hiện                  |
      | 9  | Ngày thứ 7 tình nguyện | Trung tâm Phục vụ hành chính công | Bắt đầu từ tháng 4 đến tháng 11/2026 |
    Khi kiểm tra theo quy tắc "nhiem-vu-sap-den-han"
    Thì không có phát hiện nào

  Kịch bản: Đúng ngày hạn cuối vẫn nhắc (còn 0 ngày)
    Cho các nhiệm vụ:
      | TT | Nhiệm vụ     | Đơn vị chủ trì | Thời gian thực hiện       |
      | 2  | Rà soát TTHC | Phòng Kinh tế  | Chậm nhất ngày 22/11/2026 |
    Khi kiểm tra theo quy tắc "nhiem-vu-sap-den-han"
    Thì có phát hiện vi phạm cho nhiệm vụ "2"
    Và giá trị "days_left" là 0

  Kịch bản: Đã hoàn thành thì không nhắc
    Cho các nhiệm vụ:
      | TT | Nhiệm vụ     | Đơn vị chủ trì | Thời gian thực hiện       |
      | 2  | Rà soát TTHC | Phòng Kinh tế  | Chậm nhất ngày 25/11/2026 |
    Và các báo cáo tiến độ:
      | TT | Tình trạng | Ngày hoàn thành | Ngày báo cáo |
      | 2  | hoàn thành | 20/11/2026      | 20/11/2026   |
    Khi kiểm tra theo quy tắc "nhiem-vu-sap-den-han"
    Thì không có phát hiện nào

  Kịch bản: Đã quá hạn thì không còn là "sắp đến hạn"
    Cho các nhiệm vụ:
      | TT | Nhiệm vụ | Đơn vị chủ trì | Thời gian thực hiện |
      | 13 | Đối thoại | Phòng Kinh tế | Tháng 10/2026       |
    Khi kiểm tra theo quy tắc "nhiem-vu-sap-den-han"
    Thì không có phát hiện nào
